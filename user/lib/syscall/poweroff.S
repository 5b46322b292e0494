/* poweroff: system-call stub for POWEROFF_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 poweroff, POWEROFF_INT
