/* swexn: system-call stub for SWEXN_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALLN swexn, SWEXN_INT
