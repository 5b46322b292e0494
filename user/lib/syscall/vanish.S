/* vanish: system-call stub for VANISH_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL0 vanish, VANISH_INT
