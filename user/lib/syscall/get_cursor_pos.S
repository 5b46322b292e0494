/* get_cursor_pos: system-call stub for GET_CURSOR_POS_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALLN get_cursor_pos, GET_CURSOR_POS_INT
