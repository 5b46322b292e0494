/* set_status: system-call stub for SET_STATUS_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 set_status, SET_STATUS_INT
