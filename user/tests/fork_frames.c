/* fork_frames.c: fork of a small process copies no user page. A fork's
 * cost in free frames is its reservation (every page may be copied
 * later) plus page tables; the child's first reads take nothing more,
 * and after exit and wait everything is back. */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

static kstat_t snap(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k;
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	kstat_t before = snap();
	int pid = fork();
	if (pid == 0) {
		kstat_t in_child = snap();
		volatile int x = *(volatile int *)main;	/* read text: no copy */
		(void)x;
		kstat_t after_read = snap();
		exit(after_read.free_frames == in_child.free_frames ? 0 : 1);
	}
	int status = -1;
	CHECK(wait(&status) == pid && status == 0);
	tprintf("fork_frames: free before fork %u\n", before.free_frames);
	CHECK(test_baseline_same(&base));
	test_done();
}
