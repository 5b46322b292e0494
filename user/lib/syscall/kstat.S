/* kstat: system-call stub for KSTAT_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 kstat, KSTAT_INT
