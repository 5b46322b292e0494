/*
 * init.c: the first task (docs/abi/boot.md §3). It keeps a shell running,
 * and reaps the orphans the kernel hands it on the way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

#define FORK_RETRY_TICKS 100

/* Start a shell; returns its task id. */
static int start_shell(void)
{
	char *args[] = { "shell", NULL };
	int pid;
	while ((pid = fork()) < 0)
		sleep(FORK_RETRY_TICKS);	/* out of memory: try again later */
	if (pid == 0) {
		exec(args[0], args);
		printf("init: cannot run %s\n", args[0]);
		exit(-1);
	}
	return pid;
}

int main(void)
{
	for (;;) {
		int shell = start_shell(), status = 0, pid;
		do
			pid = wait(&status);
		while (pid != shell && pid >= 0);
		printf("Shell exited with status %d; starting it back up...", status);
	}
}
