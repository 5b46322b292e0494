/* runner: timeout=90 */
/*
 * stress_wait.c: wait races. Sixteen threads of one task wait in a loop
 * while its main thread forks 300 children that exit at random times
 * with a status derived from their id. Every child is reaped exactly
 * once, by some waiter, with its own status; a waiter that finds nothing
 * to claim gets a negative result at once instead of blocking for ever.
 * Once per misbehave mode 0-3.
 */
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>
#include "stress.h"
#include "testlib.h"

#define WAITERS 16
#define CHILDREN 300
#define STACK 8192
#define MODES 4
#define FORK_TRIES 1000

static int forked[CHILDREN];
static volatile int nreaped, forking;
static int reaped[CHILDREN + WAITERS];		/* [xadd on nreaped] */
static volatile int wrong_status, too_many;

static int status_of(int pid)
{
	return (pid * 7) & 0x7FFF;
}

static int take_index(void)
{
	int one = 1;
	__asm__ volatile("lock xaddl %0, %1" : "+r"(one), "+m"(nreaped) : : "memory");
	return one;
}

static void *waiter(void *arg)
{
	int status;
	for (;;) {
		int pid = wait(&status);
		if (pid > 0) {
			int i = take_index();
			if (i < CHILDREN)
				reaped[i] = pid;
			else
				too_many = 1;
			if (status != status_of(pid))
				wrong_status = 1;
		} else if (!forking && nreaped >= CHILDREN) {
			return arg;
		} else {
			sleep(1);	/* children are coming, or others claim them */
		}
	}
}

/* Every child forked is in reaped[] exactly once. */
static int each_once(void)
{
	for (int i = 0; i < CHILDREN; i++) {
		int seen = 0;
		for (int j = 0; j < CHILDREN; j++)
			seen += reaped[j] == forked[i];
		if (seen != 1) {
			tprintf("stress_wait: child %d reaped %d times\n", forked[i], seen);
			return 0;
		}
	}
	return 1;
}

/* A child that exits soon with its status. On a small machine fork may
 * fail while many children are alive: retry as they go. */
static int fork_child(void)
{
	for (int tries = 0; tries < FORK_TRIES; tries++) {
		int pid = fork();
		if (pid == 0) {
			sleep(gettid() * 13 % 20);
			exit(status_of(gettid()));
		}
		if (pid > 0)
			return pid;
		sleep(1);
	}
	test_fail("fork failed %d times in a row", FORK_TRIES);
}

static void round_in_mode(int mode)
{
	int tids[WAITERS];
	nreaped = 0, forking = 1;
	misbehave(mode);
	for (int i = 0; i < WAITERS; i++)
		CHECK((tids[i] = thr_create(waiter, NULL)) > 0);
	for (int i = 0; i < CHILDREN; i++)
		CHECK((forked[i] = fork_child()) > 0);
	forking = 0;
	for (int i = 0; i < WAITERS; i++)
		CHECK(tids[i] <= 0 || thr_join(tids[i], NULL) == 0);
	misbehave(-1);
	CHECK(nreaped == CHILDREN && !too_many && !wrong_status);
	CHECK(each_once());
	CHECK(wait(NULL) < 0);
	tprintf("stress_wait: mode %d: %d children reaped by %d waiters\n", mode, nreaped,
		WAITERS);
}

static void rounds(void)
{
	CHECK(thr_init(STACK) == 0);
	for (int mode = 0; mode < MODES; mode++)
		round_in_mode(mode);
}

int main(void)
{
	kstat_t base;
	stress_begin(&base);
	test_in_child(rounds);
	stress_end(&base);
}
