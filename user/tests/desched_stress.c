/* runner: timeout=60 */
/* desched_stress.c: no lost wake-up. Two threads pass a turn back and
 * forth 100,000 times; each waits for its turn with deschedule on a
 * flag that the other sets just before make_runnable. If deschedule's
 * read of the flag and its going to sleep were not atomic with respect
 * to make_runnable, a wake-up would sooner or later fall between them
 * and both threads would sleep for ever (the test times out). The game
 * is played once in each misbehave mode the kernel documents (normal,
 * yield after every call, one-tick slices, random yields), so that the
 * two threads meet in as many different states as possible. */
#include <stddef.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define ROUND_TRIPS 100000

static const int modes[] = { 0, 1, 2, 3 };	/* misbehave, one per game */
#define GAMES ((int)(sizeof modes / sizeof modes[0]))

enum { PING, PONG };

static volatile int turn = PING;	/* whose move it is */
static volatile int flag[2];		/* wake-up flags, set by the other */
static volatile int tid[2];
static volatile int moves[2];		/* moves made by each side */
static volatile int bad_turn;		/* a side ran out of turn */
static char pong_stack[4096] __attribute__((aligned(16)));

/* Sleep until it is our turn. The flag is cleared before turn is read,
 * so a pass that comes after the read sets it and deschedule returns.
 * "Before" needs a fence on several CPUs: x86 lets a load pass an
 * earlier store, and the other thread's pass (turn, then flag) could
 * otherwise fall between our read of turn and our clearing of the flag,
 * which would then erase it (docs/smp.md). */
static void await_turn(int me)
{
	for (;;) {
		flag[me] = 0;
		__sync_synchronize();
		if (turn == me)
			return;
		deschedule((int *)&flag[me]);
	}
}

static void pass_turn(int me)
{
	int other = !me;
	turn = other;
	flag[other] = 1;
	make_runnable(tid[other]);	/* fails if it is not asleep: fine */
}

static void play(int me)
{
	for (int i = 0; i < GAMES * ROUND_TRIPS; i++) {
		await_turn(me);
		if (me == PING && i % ROUND_TRIPS == 0)
			misbehave(modes[i / ROUND_TRIPS]);
		if (turn != me || moves[me] != moves[!me] - (me == PONG))
			bad_turn = 1;
		moves[me]++;
		pass_turn(me);
	}
}

static void pong(void *arg)
{
	(void)arg;
	tid[PONG] = gettid();
	play(PONG);
}

int main(void)
{
	tid[PING] = gettid();
	unsigned t0 = get_ticks();
	int t = thread_fork_on(pong_stack + sizeof pong_stack, pong, NULL);
	CHECK(t > 0);
	while (tid[PONG] == 0)
		yield(t);
	play(PING);
	await_turn(PING);	/* pong's last pass */
	misbehave(-1);
	CHECK(moves[PING] == GAMES * ROUND_TRIPS && moves[PONG] == GAMES * ROUND_TRIPS);
	CHECK(!bad_turn);
	tprintf("desched_stress: %d games of %d round trips in %u ticks\n", GAMES,
		ROUND_TRIPS, get_ticks() - t0);
	test_done();
}
