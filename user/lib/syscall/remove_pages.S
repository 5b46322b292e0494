/* remove_pages: system-call stub for REMOVE_PAGES_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 remove_pages, REMOVE_PAGES_INT
