/* exec: system-call stub for EXEC_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALLN exec, EXEC_INT
