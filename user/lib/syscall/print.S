/* print: system-call stub for PRINT_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALLN print, PRINT_INT
