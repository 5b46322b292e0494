/* set_term_color: system-call stub for SET_TERM_COLOR_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 set_term_color, SET_TERM_COLOR_INT
