/*
 * thrtest.h: what the thread-library tests (thr_*.c, sync_*.c) share.
 *
 * run_modes(body) runs body once under each misbehave mode the kernel
 * implements (0 normal, 1 yield at every system-call return, 2 one-tick
 * slices, 3 random yields), each time in a fresh child task that calls
 * thr_init itself, and then checks that the kernel got back every frame,
 * heap byte, task and thread. A CHECK that fails in body, in any of its
 * threads, fails the test.
 */
#ifndef USER_TESTS_THRTEST_H
#define USER_TESTS_THRTEST_H

#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define THRTEST_MODES 4

/* body runs in a child with misbehave(mode) in force; it must join every
 * thread it creates before it returns. */
static inline void run_modes(void (*body)(void))
{
	kstat_t base;
	test_baseline(&base);
	for (int mode = 0; mode < THRTEST_MODES; mode++) {
		tprintf("misbehave mode %d\n", mode);
		misbehave(mode);
		test_in_child(body);
	}
	misbehave(0);
	CHECK(test_baseline_same(&base));
}

/* Status of body run alone in a child task (exit(0) if it returns). */
static inline int status_of(void (*body)(void))
{
	int status = 0, pid = fork();
	if (pid == 0) {
		body();
		exit(0);
	}
	CHECK(pid > 0 && wait(&status) == pid);
	return status;
}

/* Wait until thread tid is blocked in the kernel (deschedule, sleep...):
 * yield to it until it can no longer run (docs/abi/threads.md §2.2). */
static inline void until_blocked(int tid)
{
	while (yield(tid) == 0)
		continue;
}

#endif
