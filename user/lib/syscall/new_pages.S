/* new_pages: system-call stub for NEW_PAGES_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALLN new_pages, NEW_PAGES_INT
