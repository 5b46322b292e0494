/*
 * fiber_convoy.c: M:N fibers on one CPU do not fall into a lock convoy
 * (docs/lie-fibers.md). Three fibers yield on two kernel threads for
 * TICKS timer ticks. Most of a worker's time is spent holding the run
 * queue's lock, so the timer often preempts a worker holding it; the
 * other worker then blocks on it. Once that has happened, the two must
 * not go on handing the lock to each other at every fiber switch (each
 * time a kernel sleep and wake-up): a few kernel switches a tick, at
 * most, where a convoy makes one or two for every fiber switch (50 or
 * more a tick even on a slow host). No leaks.
 */
/* runner: timeout=90 cpus=1 */
#include <fiber.h>
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define FIBERS 3
#define TICKS  40
#define PER_TICK 5	/* kernel switches a tick, at most */

static volatile unsigned int end;	/* get_ticks() at which to stop */
static volatile int yields;		/* [atomic] */

static void *turner(void *arg)
{
	(void)arg;
	while (get_ticks() < end) {
		fiber_yield();
		__atomic_add_fetch(&yields, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void body(void)
{
	CHECK(thr_init(4096) == 0);
	for (int i = 0; i < FIBERS; i++)
		CHECK(fiber_create(turner, NULL) != NULL);
	kstat_t before = { .size = sizeof before }, after = { .size = sizeof after };
	CHECK(kstat(&before) == 0);
	end = get_ticks() + TICKS;
	CHECK(fiber_run(2) == 0);
	CHECK(kstat(&after) == 0);
	unsigned int switches = after.context_switches - before.context_switches;
	tprintf("%d fiber yields, %u kernel switches in %d ticks\n", yields, switches, TICKS);
	CHECK(switches <= PER_TICK * TICKS);
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	test_in_child(body);
	CHECK(test_baseline_same(&base));
	test_done();
}
