/* task_vanish: system-call stub for TASK_VANISH_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 task_vanish, TASK_VANISH_INT
