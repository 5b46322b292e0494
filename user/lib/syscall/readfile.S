/* readfile: system-call stub for READFILE_INT (pebbles-abi.md 1.6, 12). */
#include "stub.h"

	SYSCALLN readfile, READFILE_INT
