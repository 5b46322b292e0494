/*
 * livelock.c: two polite threads that keep yielding to each other
 * (docs/lie-threads.md).
 *
 *   livelock [ROUNDS]      rounds before giving up (default 50000)
 *
 * Two threads meet in a corridor, on the same side. Each looks where the
 * other stands and, if it blocks the way, politely steps to the other
 * side. Both look before either moves (they keep in step, yielding to
 * each other while they wait), so both step aside together, forever:
 * they never block, they run all the time, and nobody gets through - a
 * livelock. Then the same walk with a coin toss for each step: the
 * symmetry breaks and both pass within a few rounds.
 */
#include <fable.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>

#define STACK_SIZE 16384

struct walker {
	volatile int side;	/* 0 or 1: where it stands */
	volatile int steps;	/* phases done; the two keep in step on it */
	volatile int gone;	/* passed, or gave up */
	int tid;		/* [set before go] */
	unsigned seed;		/* the coin, for the random walk */
};

static struct walker w[2];
static int rounds;		/* [set before the threads exist] */
static int coin_toss;		/* [set before the threads exist] */
static volatile int go;		/* both walkers exist, tids known: start */

/* Finish a phase and wait, yielding to the other, until it has too. */
static void keep_in_step(int me)
{
	struct walker *other = &w[1 - me];
	w[me].steps++;
	while (other->steps < w[me].steps && !other->gone)
		thr_yield(other->tid);
}

/* Where to step when the way is blocked: aside, or wherever a coin says. */
static int next_side(struct walker *self)
{
	if (!coin_toss)
		return 1 - self->side;
	self->seed = self->seed * 1103515245u + 12345u;
	return (self->seed >> 16) & 1;
}

/* Returns the round in which this walker got through, or -1. */
static void *walk(void *arg)
{
	int me = (int)arg, passed = -1;
	struct walker *self = &w[me], *other = &w[1 - me];
	while (!go)
		thr_yield(-1);
	for (int r = 0; r < rounds && passed < 0; r++) {
		int blocked = other->side == self->side;	/* look... */
		keep_in_step(me);
		if (blocked)
			self->side = next_side(self);		/* ...then move */
		else
			passed = r;
		keep_in_step(me);
	}
	self->gone = 1;
	return (void *)passed;
}

/* One walk of both threads; prints what happened. Returns how many got
 * through. */
static int corridor(int toss)
{
	kstat_t k0 = { .size = sizeof k0 }, k1 = { .size = sizeof k1 };
	void *result[2];
	coin_toss = toss;
	go = 0;
	for (int i = 0; i < 2; i++)
		w[i] = (struct walker){ 0, 0, 0, 0, 7u + 2654435761u * i };
	kstat(&k0);
	for (int i = 0; i < 2; i++)
		if ((w[i].tid = thr_create(walk, (void *)i)) < 0) {
			printf("livelock: thr_create failed\n");
			exit(-1);
		}
	go = 1;
	for (int i = 0; i < 2; i++)
		thr_join(w[i].tid, &result[i]);
	kstat(&k1);
	int through = ((int)result[0] >= 0) + ((int)result[1] >= 0);
	printf("livelock: %s: %d of 2 got through (rounds: %d, %d), "
	       "%u context switches in %u ticks\n",
	       toss ? "coin toss" : "polite", through, (int)result[0], (int)result[1],
	       k1.context_switches - k0.context_switches, k1.ticks - k0.ticks);
	return through;
}

int main(int argc, char **argv)
{
	rounds = argc > 1 ? atoi(argv[1]) : 50000;
	if (rounds < 1) {
		printf("usage: livelock [ROUNDS > 0]\n");
		return -1;
	}
	if (thr_init(STACK_SIZE) < 0)
		return -1;
	printf("livelock: two threads, one corridor, %d rounds at most\n", rounds);
	int polite = corridor(0);
	printf("  Both always step aside together: busy all the time (count the\n");
	printf("  switches), never blocked, never through. Unlike a deadlock,\n");
	printf("  nothing sleeps; the threads just keep reacting to each other.\n");
	int random = corridor(1);
	printf("  A coin toss per step breaks the symmetry (like Ethernet's\n");
	printf("  random back-off): as soon as the coins differ, both get through.\n");
	return polite == 0 && random > 0 ? 0 : 1;
}
