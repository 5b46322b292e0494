/* wait: system-call stub for WAIT_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 wait, WAIT_INT
