/* readfile: system-call stub for READFILE_INT (docs/abi/README.md §7). */
#include "stub.h"

	SYSCALLN readfile, READFILE_INT
