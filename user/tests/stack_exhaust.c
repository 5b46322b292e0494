/*
 * stack_exhaust.c: recursion with 1 MiB frames until memory runs out
 * kills that task (status -2, the stack grower gives up), and everything
 * it took comes back when it is reaped.
 */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define FRAME (1024 * 1024)

static volatile int deeper = 1;	/* always; hides the endless recursion from gcc */

static int forever(int depth)
{
	volatile char frame[FRAME];
	for (int i = 0; i < FRAME; i += PAGE_SIZE)
		frame[i] = (char)depth;
	return (deeper ? forever(depth + 1) : 0) + frame[0];
}

int main(void)
{
	kstat_t base;
	int status = 0;
	test_baseline(&base);
	int pid = fork();
	if (pid == 0)
		exit(forever(0));
	CHECK(pid > 0);
	CHECK(wait(&status) == pid);
	CHECK(status == -2);
	CHECK(test_baseline_same(&base));
	test_done();
}
