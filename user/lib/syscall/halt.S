/* halt: system-call stub for HALT_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL0 halt, HALT_INT
