/* gettid: system-call stub for GETTID_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL0 gettid, GETTID_INT
