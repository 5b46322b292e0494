/*
 * init.c: the first task (docs/abi/boot.md §3). It keeps a shell running,
 * and reaps the orphans the kernel hands it on the way.
 *   init [PROGRAM [ARG...]]
 * With a program, init first starts it once, beside the shell: `make
 * run NET=1` boots `-- init httpd` so that the web server runs while the
 * shell is used (docs/network.md, "The web server").
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

#define FORK_RETRY_TICKS 100

/* Start args[0] with args; returns its task id. */
static int start(char **args)
{
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

int main(int argc, char **argv)
{
	char *shell_args[] = { "shell", NULL };
	if (argc > 1)
		start(argv + 1);
	for (;;) {
		int shell = start(shell_args), status = 0, pid;
		do
			pid = wait(&status);
		while (pid != shell && pid >= 0);
		printf("Shell exited with status %d; starting it back up...", status);
	}
}
