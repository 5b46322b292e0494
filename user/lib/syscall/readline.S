/* readline: system-call stub for READLINE_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALLN readline, READLINE_INT
