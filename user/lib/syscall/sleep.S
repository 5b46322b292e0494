/* sleep: system-call stub for SLEEP_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 sleep, SLEEP_INT
