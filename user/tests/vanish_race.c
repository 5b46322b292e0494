/* runner: timeout=60 */
/*
 * vanish_race.c: a task whose threads all leave at once is freed only
 * after the last of them is done with it. Each round forks a child that
 * starts SPINNERS threads and calls task_vanish; its parent reaps it and
 * sleeps a tick, so that any thread of the child still switched out runs
 * after the child's record is gone. A thread that kept a pointer to its
 * task past leaving it made the kernel read the freed record's address
 * space then (a panic in switch_to). The debug kernel yields at random
 * after mutex releases, which makes the window wide: the case
 * debug_kernel_races runs this program there.
 */
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>
#include "testlib.h"

#define ROUNDS 100
#define SPINNERS 4
#define STATUS 5

static void *spin(void *arg)
{
	(void)arg;
	for (;;)
		yield(-1);
	return NULL;
}

static void child(void)
{
	if (thr_init(8192) < 0)
		task_vanish(1);
	for (int i = 0; i < SPINNERS; i++)
		if (thr_create(spin, NULL) < 0)
			task_vanish(1);
	yield(-1);
	task_vanish(STATUS);
}

int main(void)
{
	for (int i = 0; i < ROUNDS; i++) {
		int pid = fork();
		if (pid == 0)
			child();
		CHECK(pid > 0);
		int status = -1;
		CHECK(wait(&status) == pid);
		CHECK(status == STATUS);
		sleep(1);
	}
	test_done();
}
