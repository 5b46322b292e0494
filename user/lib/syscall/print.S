/* print: system-call stub for PRINT_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALLN print, PRINT_INT
