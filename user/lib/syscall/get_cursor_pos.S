/* get_cursor_pos: system-call stub for GET_CURSOR_POS_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALLN get_cursor_pos, GET_CURSOR_POS_INT
