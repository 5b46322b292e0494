/* fork: system-call stub for FORK_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL0 fork, FORK_INT
