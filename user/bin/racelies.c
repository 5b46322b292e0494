/*
 * racelies.c: the lie "threads run at once", told by a shared counter
 * (docs/lie-threads.md).
 *
 *   racelies [RUNS [INCREMENTS [MODE]]]   defaults: 5 runs, 20000, mode 2
 *   racelies parallel [THREADS [INCREMENTS [RUNS]]]   defaults: 4, 100000, 3
 *
 * Two threads add INCREMENTS each to one shared counter, first with no
 * lock, then under a mutex. An update reads the counter, computes and
 * writes the result back; a thread preempted between its read and its
 * write stores a stale value and wipes out every update the other made
 * meanwhile. MODE is handed to misbehave() for the duration (2: one-tick
 * time slices, so preemption comes often); normal scheduling comes back
 * at the end.
 *
 * The parallel mode needs no preemption: THREADS threads each do a bare
 * counter++ INCREMENTS times, never yielding, then the same under the
 * mutex. On one CPU (under QEMU) nothing is lost, since the timer never
 * lands inside an increment; threads that truly run at once, on several
 * CPUs, interleave their loads and stores and lose updates all the same.
 */
#include <mutex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>

#define THREADS 2
#define MAX_THREADS 16		/* in the parallel mode */
#define STACK_SIZE 16384
#define MAX_RUNS 50
#define WORK 1000		/* steps between reading and writing */

static volatile int counter;		/* [lock] in the locked run only */
static mutex_t lock = MUTEX_INITIALIZER;
static volatile int go;			/* the workers start together */
static int increments;			/* [set before the threads exist] */
static int nthreads = THREADS;		/* [set before the threads exist] */

/* Both workers spin until go, so that their loops overlap. */
static void wait_for_go(void)
{
	while (!go)
		thr_yield(-1);
}

/*
 * The update: read the counter, compute, write it back - like reading a
 * balance, working out the new one and storing it. The computation takes
 * a while (WORK steps), so a preemption often falls between the read and
 * the write. Even a bare counter++ (load, add, store) has such a gap on
 * hardware; under QEMU it would not show, because QEMU takes interrupts
 * only between its translated blocks and a counter++ loop is one block.
 */
static int plus_one(int v)
{
	volatile int step;
	for (step = 0; step < WORK; step++)
		continue;
	return v + step / WORK;	/* step ends at WORK: v + 1, the slow way */
}

/* A worker with no lock: its updates race with the other's. */
static void *add_unlocked(void *arg)
{
	(void)arg;
	wait_for_go();
	for (int i = 0; i < increments; i++)
		counter = plus_one(counter);
	return NULL;
}

/* A worker that holds the mutex for each whole update. */
static void *add_locked(void *arg)
{
	(void)arg;
	wait_for_go();
	for (int i = 0; i < increments; i++) {
		mutex_lock(&lock);
		counter = plus_one(counter);
		mutex_unlock(&lock);
	}
	return NULL;
}

/* The parallel mode's update: one load, one add, one store, with nothing
 * between them that could end QEMU's translation block. */
static void *bump_unlocked(void *arg)
{
	(void)arg;
	wait_for_go();
	for (int i = 0; i < increments; i++)
		counter++;
	return NULL;
}

static void *bump_locked(void *arg)
{
	(void)arg;
	wait_for_go();
	for (int i = 0; i < increments; i++) {
		mutex_lock(&lock);
		counter++;
		mutex_unlock(&lock);
	}
	return NULL;
}

/* One run of nthreads workers running fn; returns the final count and
 * stores the ticks it took in *ticks. */
static int run(void *(*fn)(void *), unsigned *ticks)
{
	int tids[MAX_THREADS];
	unsigned start = get_ticks();
	counter = 0;
	go = 0;
	for (int i = 0; i < nthreads; i++)
		if ((tids[i] = thr_create(fn, NULL)) < 0) {
			misbehave(0);
			printf("racelies: thr_create failed\n");
			exit(-1);
		}
	go = 1;
	for (int i = 0; i < nthreads; i++)
		thr_join(tids[i], NULL);
	*ticks = get_ticks() - start;
	return counter;
}

/* argv[i] as a number, or def if there are fewer arguments. */
static int arg_or(int argc, char **argv, int i, int def)
{
	return argc > i ? atoi(argv[i]) : def;
}

/* racelies parallel [THREADS [INCREMENTS [RUNS]]]: argv[0] is "parallel". */
static int parallel(int argc, char **argv)
{
	int runs = arg_or(argc, argv, 3, 3), short_runs = 0;
	nthreads = arg_or(argc, argv, 1, 4);
	increments = arg_or(argc, argv, 2, 100000);
	if (nthreads < 1 || nthreads > MAX_THREADS || increments < 1 || increments > 10000000 ||
	    runs < 1 || runs > MAX_RUNS) {
		printf("usage: racelies parallel [THREADS (1-%d) [INCREMENTS [RUNS]]]\n", MAX_THREADS);
		return -1;
	}
	if (thr_init(STACK_SIZE) < 0)
		return -1;
	int total = nthreads * increments;
	printf("racelies: parallel: %d threads x %d bare increments = %d, no yields\n",
	       nthreads, increments, total);
	for (int r = 1; r <= runs; r++) {
		unsigned bt, lt;
		int bare = run(bump_unlocked, &bt), locked = run(bump_locked, &lt);
		short_runs += bare < total;
		printf("parallel run %d: no lock %d of %d (%d lost, %u ticks), mutex %d of %d (%u ticks)\n",
		       r, bare, total, total - bare, bt, locked, total, lt);
	}
	printf("racelies: updates lost in %d of %d parallel runs without a lock\n", short_runs, runs);
	printf("  No thread was preempted inside an update: on one CPU none is\n");
	printf("  lost. Threads running at once on several CPUs read the same\n");
	printf("  value and store the same result: the mutex still makes it exact.\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "parallel") == 0)
		return parallel(argc - 1, argv + 1);
	int runs = arg_or(argc, argv, 1, 5), mode = arg_or(argc, argv, 3, 2);
	increments = arg_or(argc, argv, 2, 20000);
	if (runs < 1 || runs > MAX_RUNS || increments < 1 || increments > 10000000) {
		printf("usage: racelies [RUNS (1-%d) [INCREMENTS [MODE]]]\n", MAX_RUNS);
		return -1;
	}
	if (thr_init(STACK_SIZE) < 0)
		return -1;
	int total = THREADS * increments, short_runs = 0;
	misbehave(mode);
	printf("racelies: %d threads x %d increments = %d, misbehave(%d)\n",
	       THREADS, increments, total, mode);
	for (int r = 1; r <= runs; r++) {
		unsigned bt, lt;
		int bare = run(add_unlocked, &bt), locked = run(add_locked, &lt);
		short_runs += bare < total;
		printf("run %d: no lock %d of %d (%d lost, %u ticks), mutex %d of %d (%u ticks)\n",
		       r, bare, total, total - bare, bt, locked, total, lt);
	}
	misbehave(0);
	printf("racelies: updates lost in %d of %d runs without a lock\n", short_runs, runs);
	printf("  A thread preempted between reading the counter and writing it\n");
	printf("  back stores a stale value, erasing what the other thread added\n");
	printf("  meanwhile. The mutex makes read-compute-write one step for all.\n");
	return 0;
}
