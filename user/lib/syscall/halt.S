/* halt: system-call stub for HALT_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL0 halt, HALT_INT
