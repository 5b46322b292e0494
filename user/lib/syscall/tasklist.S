/* tasklist: system-call stub for TASKLIST_INT, which fable.h (a C-only
 * header) defines as SYSCALL_RESERVED_3 (a Fable extension). */
#include "stub.h"

	SYSCALLN tasklist, SYSCALL_RESERVED_3
