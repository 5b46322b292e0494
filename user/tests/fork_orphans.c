/* fork_orphans.c: a child forks 1,000 grandchildren that exit(42) and
 * exits without waiting for them. The orphans go to init - which, as the
 * first program, is this test - and their statuses are collected here. */
/* runner: init=1 */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define ORPHANS 1000

int main(void)
{
	kstat_t base;
	test_as_init();
	test_baseline(&base);
	int mid = fork();
	if (mid == 0) {
		for (int i = 0; i < ORPHANS; i++)
			if (fork() == 0)
				exit(42);
		exit(1);
	}
	int reaped = 0, good = 0, status, pid;
	while ((pid = wait(&status)) > 0) {
		reaped++;
		good += pid == mid ? status == 1 : status == 42;
	}
	tprintf("fork_orphans: reaped %d, good %d\n", reaped, good);
	CHECK(reaped == ORPHANS + 1);
	CHECK(good == ORPHANS + 1);
	CHECK(test_baseline_same(&base));
	test_done();
}
