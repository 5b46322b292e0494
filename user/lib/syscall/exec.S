/* exec: system-call stub for EXEC_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALLN exec, EXEC_INT
