/* readline: system-call stub for READLINE_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALLN readline, READLINE_INT
