/* exit.c: the end of a task (docs/abi/userlib.md §6.3): exactly task_vanish. */
#include <stdlib.h>
#include <syscall.h>

void exit(int status)
{
	task_vanish(status);
}
