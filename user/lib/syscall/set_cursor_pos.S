/* set_cursor_pos: system-call stub for SET_CURSOR_POS_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALLN set_cursor_pos, SET_CURSOR_POS_INT
