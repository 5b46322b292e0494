/* deschedule: system-call stub for DESCHEDULE_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 deschedule, DESCHEDULE_INT
