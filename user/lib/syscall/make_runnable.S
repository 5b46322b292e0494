/* make_runnable: system-call stub for MAKE_RUNNABLE_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 make_runnable, MAKE_RUNNABLE_INT
