/*
 * thr_join.c: thread create, join and exit in every order
 * (docs/abi/userlib.md §3.2): join after the thread exited and before it
 * does, exit from deep in a call chain, join of a tid never created, of
 * oneself, twice, and by two joiners at once; joining the initial thread
 * after its thr_exit, the task then ending with its last thread; a raw
 * vanish() that leaves the library working; thr_init's refusals. Each
 * under every misbehave mode; no leaks.
 */
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define STACK 4096

static volatile int main_tid;		/* the initial thread of the child */
static volatile int release;		/* lets a parked thread go */

static void *return_arg(void *arg)
{
	return arg;
}

/* Exits only once the initial thread is asleep in thr_join. */
static void *exit_after_join(void *arg)
{
	until_blocked(main_tid);
	return arg;
}

/* Ends the thread depth calls down (never returns for depth >= 0). */
static void deep_exit(int depth)
{
	if (depth < 0)
		return;
	if (depth == 0)
		thr_exit((void *)0xdee9);
	deep_exit(depth - 1);
}

static void *exit_deep(void *arg)
{
	(void)arg;
	CHECK(thr_getid() == gettid());
	deep_exit(10);
	CHECK(!"thr_exit returned");
	return NULL;
}

static void *parked(void *arg)
{
	while (!release)
		thr_yield(-1);
	return arg;
}

static void *join_target(void *arg)
{
	void *status = NULL;
	CHECK(thr_join((int)arg, &status) == 0);
	CHECK(status == (void *)3);
	return (void *)4;
}

static void *raw_vanish(void *arg)
{
	(void)arg;
	vanish();
}

static void join_after_exit(void)
{
	void *status = NULL;
	int tid = thr_create(return_arg, (void *)42);
	CHECK(tid > main_tid);
	while (thr_yield(tid) == 0)	/* until it has vanished */
		continue;
	CHECK(thr_join(tid, &status) == 0);
	CHECK(status == (void *)42);
	CHECK(thr_join(tid, &status) < 0);	/* twice */
}

static void join_before_exit(void)
{
	void *status = NULL;
	int tid = thr_create(exit_after_join, (void *)43);
	CHECK(tid > 0);
	CHECK(thr_join(tid, &status) == 0);
	CHECK(status == (void *)43);
	tid = thr_create(exit_deep, NULL);
	CHECK(thr_join(tid, &status) == 0);
	CHECK(status == (void *)0xdee9);
	CHECK(thr_join(tid, &status) < 0);
}

/* A second joiner of a thread already being joined is refused. */
static void two_joiners(void)
{
	void *status = NULL;
	release = 0;
	int target = thr_create(parked, (void *)3);
	int joiner = thr_create(join_target, (void *)target);
	CHECK(target > 0 && joiner > target);
	until_blocked(joiner);
	CHECK(thr_join(target, NULL) < 0);
	release = 1;
	CHECK(thr_join(joiner, &status) == 0);
	CHECK(status == (void *)4);
}

static void refused(void)
{
	CHECK(thr_init(STACK) < 0);		/* only once */
	CHECK(thr_join(main_tid, NULL) < 0);	/* oneself */
	CHECK(thr_join(main_tid + 1000000, NULL) < 0);
	CHECK(thr_join(0, NULL) < 0);
	CHECK(thr_join(-5, NULL) < 0);
	CHECK(thr_yield(-1) == 0);
}

/* A raw vanish leaves the library working for the others. */
static void vanish_raw(void)
{
	int tid = thr_create(raw_vanish, NULL);
	CHECK(tid > 0);
	while (thr_yield(tid) == 0)
		continue;
	void *status = NULL;
	CHECK(thr_join(thr_create(return_arg, (void *)5), &status) == 0);
	CHECK(status == (void *)5);
}

static void orders(void)
{
	CHECK(thr_create(return_arg, NULL) < 0);	/* before thr_init */
	CHECK(thr_init(0) < 0);
	CHECK(thr_init(STACK) == 0);
	main_tid = thr_getid();
	join_after_exit();
	join_before_exit();
	two_joiners();
	refused();
	vanish_raw();
}

/* Joins the initial thread after it called thr_exit, then ends the
 * task by exiting as its last thread: the status set before stays. */
static void *join_initial(void *arg)
{
	void *status = NULL;
	int ok = thr_join((int)arg, &status) == 0 && status == (void *)99;
	set_status(ok ? 7 : 8);
	thr_exit(NULL);
}

static void initial_exits(void)
{
	CHECK(thr_init(STACK) == 0);
	CHECK(thr_create(join_initial, (void *)thr_getid()) > 0);
	set_status(6);
	thr_exit((void *)99);
}

int main(void)
{
	run_modes(orders);
	CHECK(status_of(initial_exits) == 7);
	test_done();
}
