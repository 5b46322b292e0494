/* deschedule: system-call stub for DESCHEDULE_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 deschedule, DESCHEDULE_INT
