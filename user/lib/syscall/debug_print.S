/* debug_print: system-call stub for DEBUG_PRINT_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALLN debug_print, DEBUG_PRINT_INT
