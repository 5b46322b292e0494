/* sleep: system-call stub for SLEEP_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 sleep, SLEEP_INT
