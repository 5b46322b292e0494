/*
 * fiber_mn.c: fibers on a pool of kernel threads (M:N, fiber.h), under
 * every misbehave mode. 40 fibers, made by one fiber on 4 kernel
 * threads, yield 200 times each: every fiber finishes and its joiner
 * gets its value, no fiber is ever run by two kernel threads at once,
 * fibers go on after a yield on another kernel thread (migrations), and
 * more than one kernel thread runs them. Fibers joining each other are
 * a deadlock that fiber_run reports. No leaks.
 */
/* runner: timeout=90 */
#include <fiber.h>
#include <stdint.h>
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define THREADS 4
#define FIBERS  40
#define YIELDS  200

struct rec {
	volatile int running;	/* 1 while some kernel thread runs it */
	int turns;
	int moved;		/* yields after which it was on another thread */
	int tids[THREADS];	/* kernel threads it ran on */
	int ntids;
};

static struct rec recs[FIBERS];

static int xchg(volatile int *word, int value)
{
	__asm__ volatile("xchgl %0, %1" : "+r"(value), "+m"(*word) : : "memory");
	return value;
}

static void saw(struct rec *r, int tid)
{
	for (int i = 0; i < r->ntids; i++)
		if (r->tids[i] == tid)
			return;
	if (r->ntids < THREADS)
		r->tids[r->ntids++] = tid;
}

/* Keep this kernel thread busy until another one has run a fiber (at
 * most HOLD_MAX ticks). Without it a fast host may finish every yield
 * inside one time slice, and with no preemption (misbehave mode 0, one
 * CPU) the other kernel threads never get a turn: nothing migrates.
 * Held halfway through (every fiber has yielded on this kernel thread
 * by then), the holder uses up its time slice and another kernel thread
 * resumes the other fibers: migrations. A fixed hold of 5 ticks was
 * sometimes shorter than what was left of the slice (a CI run at 64 MiB
 * saw no migration). */
#define HOLD_MAX 1000

static volatile int last_tid;	/* the kernel thread that last ran a fiber */

static void hold_until_other(int me)
{
	unsigned int t0 = get_ticks();
	while (last_tid == me && get_ticks() - t0 < HOLD_MAX)
		continue;
}

/* Between two yields a fiber owns its record: `running` proves that no
 * other kernel thread resumed it meanwhile. */
static void *spin(void *arg)
{
	struct rec *r = arg;
	for (int i = 0; i < YIELDS; i++) {
		CHECK(xchg(&r->running, 1) == 0);
		int tid = gettid();
		last_tid = tid;
		saw(r, tid);
		r->turns++;
		if (r == &recs[0] && i == YIELDS / 2)
			hold_until_other(tid);
		for (volatile int k = 0; k < 50; k++)
			continue;	/* room for a preemption */
		xchg(&r->running, 0);
		fiber_yield();
		r->moved += gettid() != tid;
	}
	return r;
}

static void *maker(void *arg)
{
	(void)arg;
	fiber_t *f[FIBERS];
	for (int i = 0; i < FIBERS; i++)
		CHECK((f[i] = fiber_create(spin, &recs[i])) != NULL);
	for (int i = 0; i < FIBERS; i++) {
		void *status = NULL;
		CHECK(fiber_join(f[i], &status) == 0 && status == &recs[i]);
	}
	return NULL;
}

static fiber_t *ring[3];

static void *join_next(void *arg)
{
	fiber_yield();
	return (void *)(intptr_t)fiber_join(ring[((intptr_t)arg + 1) % 3], NULL);
}

static void body(void)
{
	CHECK(thr_init(4096) == 0);
	CHECK(fiber_create(maker, NULL) != NULL);
	CHECK(fiber_run(THREADS) == 0);
	int moved = 0, ran_on[THREADS * FIBERS], nran = 0;
	for (int i = 0; i < FIBERS; i++) {
		CHECK(recs[i].turns == YIELDS);
		moved += recs[i].moved;
		for (int t = 0; t < recs[i].ntids; t++) {
			int seen = 0;
			for (int k = 0; k < nran; k++)
				seen |= ran_on[k] == recs[i].tids[t];
			if (!seen)
				ran_on[nran++] = recs[i].tids[t];
		}
	}
	tprintf("%d migrations in %d yields; fibers ran on %d kernel threads\n",
		moved, FIBERS * YIELDS, nran);
	CHECK(moved > 0);
	CHECK(nran > 1);

	for (int i = 0; i < 3; i++)
		ring[i] = fiber_create(join_next, (void *)(intptr_t)i);
	CHECK(fiber_run(THREADS) == -1);
}

int main(void)
{
	run_modes(body);
	test_done();
}
