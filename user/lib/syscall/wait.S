/* wait: system-call stub for WAIT_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 wait, WAIT_INT
