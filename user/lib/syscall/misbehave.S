/* misbehave: system-call stub for MISBEHAVE_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALL1 misbehave, MISBEHAVE_INT
