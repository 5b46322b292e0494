/* kstat: system-call stub for KSTAT_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 kstat, KSTAT_INT
