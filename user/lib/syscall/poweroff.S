/* poweroff: system-call stub for POWEROFF_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 poweroff, POWEROFF_INT
