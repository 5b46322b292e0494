/* fs_call: the stub of vector FS_INT (docs/abi/fable.md §6); its one
 * argument, in %esi, is the packet {op, args...} fs.c builds. */
#include "stub.h"

	SYSCALL1 fs_call, FS_INT
