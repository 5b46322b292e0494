/* fork_frames.c: fork copies no user page until one is written. The
 * child reads all of its inherited data without a single page fault (the
 * pages are shared, mapped read-only), and its first write to a page
 * takes exactly one fault (the copy). Fork's cost in free frames is
 * exactly the child's reservation, one frame per page it may copy; after
 * exit and wait every frame is back. */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define PAGES 8
static int data[PAGES * 1024] = { 1 };

static kstat_t snap(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k;
}

/* The frames tasklist reports for task id. */
static unsigned frames_of(int id)
{
	static task_info_t info[64];
	int n = tasklist(info, 64);
	for (int i = 0; i < n && i < 64; i++)
		if (info[i].id == id)
			return info[i].frames;
	return 0;
}

static int child(void)
{
	int ok = 1;
	unsigned pf0 = snap().page_faults;	/* (this also makes our stack page ours) */
	pf0 = snap().page_faults;
	int sum = 0;
	for (int i = 0; i < PAGES * 1024; i += 1024)
		sum += data[i];		/* shared and mapped: no fault */
	ok &= snap().page_faults == pf0 && sum == 1;
	data[3 * 1024] = 7;		/* first write to a shared page */
	ok &= snap().page_faults == pf0 + 1;
	data[3 * 1024 + 1] = 8;		/* the copy is ours now */
	ok &= snap().page_faults == pf0 + 1;
	return ok;
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	for (int i = 0; i < PAGES * 1024; i++)
		data[i] = i == 0;	/* every page private to us before fork */
	unsigned before = snap().free_frames;
	int pid = fork();
	if (pid == 0) {
		sleep(5);	/* the child runs first: let the parent measure */
		exit(child() ? 0 : 1);
	}
	unsigned cost = before - snap().free_frames;
	unsigned reserved = frames_of(pid);
	tprintf("fork_frames: fork took %u free frames, the child reserves %u\n", cost, reserved);
	CHECK(reserved > PAGES && cost == reserved);
	int status = -1;
	CHECK(wait(&status) == pid && status == 0);
	CHECK(data[3 * 1024] == 0);	/* the child's write stayed its own */
	CHECK(test_baseline_same(&base));
	test_done();
}
