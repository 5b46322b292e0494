/* swexn: system-call stub for SWEXN_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALLN swexn, SWEXN_INT
