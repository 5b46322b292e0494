/* getchar: system-call stub for GETCHAR_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL0 getchar, GETCHAR_INT
