/* debug_print: system-call stub for DEBUG_PRINT_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALLN debug_print, DEBUG_PRINT_INT
