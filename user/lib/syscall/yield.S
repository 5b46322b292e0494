/* yield: system-call stub for YIELD_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 yield, YIELD_INT
