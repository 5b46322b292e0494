/* new_pages: system-call stub for NEW_PAGES_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALLN new_pages, NEW_PAGES_INT
