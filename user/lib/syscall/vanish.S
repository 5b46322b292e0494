/* vanish: system-call stub for VANISH_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL0 vanish, VANISH_INT
