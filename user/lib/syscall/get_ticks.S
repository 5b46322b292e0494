/* get_ticks: system-call stub for GET_TICKS_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL0 get_ticks, GET_TICKS_INT
