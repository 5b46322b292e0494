/* yield: system-call stub for YIELD_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 yield, YIELD_INT
