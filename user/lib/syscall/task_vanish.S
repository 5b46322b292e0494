/* task_vanish: system-call stub for TASK_VANISH_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 task_vanish, TASK_VANISH_INT
