/* set_term_color: system-call stub for SET_TERM_COLOR_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 set_term_color, SET_TERM_COLOR_INT
