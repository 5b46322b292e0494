/* runner: timeout=60 icount=1 */
/*
 * sched_starve.c: the starvation bound (docs/scheduling.md). Hundreds of
 * threads that keep waking from sleep(1) and spinning until the next tick
 * take all the CPU at the top levels; a few threads that never block sink
 * to the bottom. Every one of those must still run at least every 2 s of
 * guest time: the scheduler serves a level whose head has waited
 * STARVE_TICKS. (Without that guard they would wait for as long as the
 * wakers wake; under round robin they waited behind all of them.)
 */
#include <stdlib.h>
#include <syscall.h>
#include "spinners.h"
#include "testlib.h"

#define WAKERS 400
#define SPINNERS 4
#define LOAD_TICKS 250
#define BOUND 200		/* ticks: 2 s */

static volatile unsigned worst;		/* [atomic max] of the spinners */

/* Threads 0 .. SPINNERS-1 spin; the others wake every other tick. */
static void run(int i)
{
	if (i < SPINNERS) {
		spin_note_max(&worst, spin_until_end());
		return;
	}
	while (get_ticks() < spin_end) {
		sleep(1);
		unsigned t = get_ticks();
		while (get_ticks() == t)
			spin_a_little();
	}
}

static void load(void)
{
	spin_end = get_ticks() + LOAD_TICKS;
	CHECK(spinners_start(SPINNERS + WAKERS, run) == SPINNERS + WAKERS);
	spinners_wait();
	tprintf("sched_starve: with %d wakers, %d spinners waited at most %u ticks\n",
		WAKERS, SPINNERS, worst);
	CHECK(worst <= BOUND);
}

int main(void)
{
	test_in_child(load);
	test_done();
}
