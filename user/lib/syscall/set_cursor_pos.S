/* set_cursor_pos: system-call stub for SET_CURSOR_POS_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALLN set_cursor_pos, SET_CURSOR_POS_INT
