/*
 * deadlock.c: two threads take two mutexes in opposite order and stop
 * forever (docs/lie-threads.md).
 *
 *   deadlock [TIMEOUT]     ticks to wait before calling it (default 200)
 *
 * Thread A locks left then right; thread B locks right then left. Each
 * pauses between its two locks, so each gets its first and then waits
 * for the one the other holds. Nothing in the library or the kernel
 * notices: a mutex waiter sleeps until the holder unlocks. The main
 * thread watches from outside; when neither worker finishes within the
 * timeout it shows who holds what, that both are asleep (yield() to them
 * fails), and ends the task, which task_vanish can do to any thread.
 */
#include <fable.h>
#include <mutex.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>

#define STACK_SIZE 16384
#define PAUSE 10		/* ticks between the first and second lock */
#define POLL 10			/* ticks between the watcher's looks */

struct worker {
	const char *name;
	mutex_t *first, *second;
	const char *first_name, *second_name;
	volatile int step;	/* 0 started, 1 holds first, 2 holds both, 3 done */
	int tid;
};

static mutex_t left = MUTEX_INITIALIZER, right = MUTEX_INITIALIZER;

static struct worker a = { "A", &left, &right, "left", "right", 0, 0 };
static struct worker b = { "B", &right, &left, "right", "left", 0, 0 };

static void *work(void *arg)
{
	struct worker *w = arg;
	mutex_lock(w->first);
	w->step = 1;
	printf("thread %s (tid %d): holds %s, now wants %s\n",
	       w->name, thr_getid(), w->first_name, w->second_name);
	sleep(PAUSE);		/* long enough for the other to take its first */
	mutex_lock(w->second);
	w->step = 2;
	printf("thread %s: holds both\n", w->name);
	mutex_unlock(w->second);
	mutex_unlock(w->first);
	w->step = 3;
	return NULL;
}

/* Wait up to timeout ticks for both workers; true if they finished. */
static int both_finish(int timeout)
{
	for (int waited = 0; waited < timeout; waited += POLL) {
		if (a.step == 3 && b.step == 3)
			return 1;
		sleep(POLL);
	}
	return a.step == 3 && b.step == 3;
}

/* Evidence that the workers wait on each other, asleep. */
static void explain(int timeout)
{
	kstat_t k0 = { .size = sizeof k0 }, k1 = { .size = sizeof k1 };
	printf("deadlock: no progress in %d ticks: A at step %d, B at step %d\n",
	       timeout, a.step, b.step);
	/* owner is the holder's tid (mutex_type.h); a racy read is fine for a look */
	printf("deadlock: left is held by tid %d, right by tid %d\n", left.owner, right.owner);
	printf("deadlock: A (tid %d) waits for right, B (tid %d) waits for left\n", a.tid, b.tid);
	printf("deadlock: yield to A gives %d, to B %d (negative: asleep, not runnable)\n",
	       yield(a.tid), yield(b.tid));
	kstat(&k0);
	sleep(POLL);
	kstat(&k1);
	printf("deadlock: %u context switches in %d ticks: nobody is even trying\n",
	       k1.context_switches - k0.context_switches, POLL);
	printf("  Each holds what the other needs and sleeps until it is given up.\n");
	printf("  Taking locks in one global order (always left before right)\n");
	printf("  makes this cycle impossible. Ending the task ends both threads.\n");
}

int main(int argc, char **argv)
{
	int timeout = argc > 1 ? atoi(argv[1]) : 200;
	if (timeout < POLL || thr_init(STACK_SIZE) < 0) {
		printf("usage: deadlock [TIMEOUT >= %d ticks]\n", POLL);
		return -1;
	}
	a.tid = thr_create(work, &a);
	b.tid = thr_create(work, &b);
	if (a.tid < 0 || b.tid < 0) {
		printf("deadlock: thr_create failed\n");
		return -1;
	}
	if (both_finish(timeout)) {
		printf("deadlock: both threads finished: no deadlock this time\n");
		return 1;
	}
	explain(timeout);
	exit(0);
}
