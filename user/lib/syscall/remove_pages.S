/* remove_pages: system-call stub for REMOVE_PAGES_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 remove_pages, REMOVE_PAGES_INT
