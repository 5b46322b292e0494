/* get_ticks: system-call stub for GET_TICKS_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL0 get_ticks, GET_TICKS_INT
