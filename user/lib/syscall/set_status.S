/* set_status: system-call stub for SET_STATUS_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 set_status, SET_STATUS_INT
