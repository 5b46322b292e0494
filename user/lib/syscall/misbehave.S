/* misbehave: system-call stub for MISBEHAVE_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALL1 misbehave, MISBEHAVE_INT
