/* gettid: system-call stub for GETTID_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL0 gettid, GETTID_INT
