/* desched_calls.c: deschedule returns at once when its flag is non-zero
 * and fails on an unreadable flag; with a zero flag the thread sleeps
 * until make_runnable, and meanwhile yield to it fails. make_runnable
 * refuses threads that are running, runnable (a woken one that has not
 * run yet too: two wakers cannot both succeed), sleeping or gone; both
 * work across tasks. */
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define REGION 0x40000000u

int main(void);

static char stack_a[4096] __attribute__((aligned(16)));
static char stack_b[4096] __attribute__((aligned(16)));
static volatile int woken, stop, slept;	/* [shared with the threads] */
static int zero_flag;

/* Spin until yield(tid) fails: tid is blocked (or gone). */
static void until_blocked(int tid)
{
	while (yield(tid) == 0)
		;
}

static void reject_flag(void)
{
	int one = 1, minus = -1;
	CHECK(deschedule(&one) == 0);
	CHECK(deschedule(&minus) == 0);
	CHECK(deschedule((int *)main) == 0);	/* text: readable, non-zero */
	CHECK(new_pages((void *)REGION, PAGE_SIZE) == 0);
	*(volatile int *)(REGION + PAGE_SIZE - 4) = 3;
	CHECK(deschedule((int *)(REGION + PAGE_SIZE - 4)) == 0);
	CHECK(deschedule((int *)(REGION + PAGE_SIZE - 2)) < 0);	/* straddles */
	CHECK(deschedule(NULL) < 0);
	CHECK(deschedule((int *)0x500000) < 0);
	CHECK(deschedule((int *)0x00FFFFFE) < 0);
	CHECK(deschedule((int *)0xDEAD0000) < 0);
	CHECK(remove_pages((void *)REGION) == 0);
	CHECK(deschedule((int *)REGION) < 0);	/* removed */
}

static void sleeper(void *arg)
{
	(void)arg;
	deschedule(&zero_flag);
	woken = 1;
}

/* A descheduled thread stays asleep until make_runnable wakes it. */
static void wake_thread(void)
{
	int tid = thread_fork_on(stack_a + sizeof stack_a, sleeper, NULL);
	CHECK(tid > 0);
	until_blocked(tid);
	CHECK(yield(tid) < 0);
	sleep(5);
	CHECK(!woken);
	CHECK(make_runnable(tid) == 0);
	CHECK(make_runnable(tid) < 0);	/* woken, not yet run: no second wake */
	while (!woken)
		yield(-1);
	until_blocked(tid);	/* it has vanished */
	CHECK(make_runnable(tid) < 0);
}

static void spinner(void *arg)
{
	(void)arg;
	while (!stop)
		;
}

static void napper(void *arg)
{
	(void)arg;
	sleep(20);
	slept = 1;
}

/* Only a descheduled thread is eligible. */
static void not_descheduled(void)
{
	CHECK(make_runnable(gettid()) < 0);
	CHECK(make_runnable(0) < 0);
	CHECK(make_runnable(-1) < 0);
	CHECK(make_runnable(999999) < 0);
	int spin = thread_fork_on(stack_a + sizeof stack_a, spinner, NULL);
	CHECK(spin > 0 && make_runnable(spin) < 0);
	stop = 1;
	until_blocked(spin);
	int nap = thread_fork_on(stack_b + sizeof stack_b, napper, NULL);
	until_blocked(nap);
	CHECK(!slept && make_runnable(nap) < 0);
	CHECK(!slept && yield(nap) < 0);
	while (!slept)
		yield(-1);
}

/* A child task deschedules; its parent wakes it. */
static void across_tasks(void)
{
	int pid = fork();
	if (pid == 0) {
		deschedule(&zero_flag);
		exit(7);
	}
	CHECK(pid > 0);
	until_blocked(pid);
	CHECK(yield(pid) < 0);
	CHECK(make_runnable(pid) == 0);
	int status = 0;
	CHECK(wait(&status) == pid && status == 7);
}

int main(void)
{
	reject_flag();
	wake_thread();
	not_descheduled();
	across_tasks();
	test_done();
}
