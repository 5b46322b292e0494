/* make_runnable: system-call stub for MAKE_RUNNABLE_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 make_runnable, MAKE_RUNNABLE_INT
