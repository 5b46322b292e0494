/* fork: system-call stub for FORK_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL0 fork, FORK_INT
