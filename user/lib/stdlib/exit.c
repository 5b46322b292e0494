/* exit.c: the end of a task (pebbles-abi.md 11.6): exactly task_vanish. */
#include <stdlib.h>
#include <syscall.h>

void exit(int status)
{
	task_vanish(status);
}
