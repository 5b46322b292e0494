/* getchar: system-call stub for GETCHAR_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL0 getchar, GETCHAR_INT
