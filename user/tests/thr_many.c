/*
 * thr_many.c: 1,000 threads created and joined, 100 alive at a time:
 * tids increase, every status comes back, and the stacks are reclaimed
 * (free frames are the same after every wave). Then threads are created
 * until thr_create fails (cleanly: the others still run and join) and
 * one more can be made once they are gone. Every misbehave mode; no
 * leaks.
 */
/* runner: timeout=120 */
#include <malloc.h>
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define STACK  4096
#define TOTAL  1000
#define WAVE   100
#define FLOOD  3000	/* most threads the flood tries to have at once */

static void *give_back(void *arg)
{
	return arg;
}

static unsigned free_frames(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k.free_frames;
}

/* One wave: WAVE threads, joined newest first. */
static void wave(int first, int *last_tid)
{
	int tids[WAVE];
	for (int i = 0; i < WAVE; i++) {
		tids[i] = thr_create(give_back, (void *)(first + i));
		CHECK(tids[i] > *last_tid);
		*last_tid = tids[i];
	}
	for (int i = WAVE - 1; i >= 0; i--) {
		void *status = NULL;
		CHECK(thr_join(tids[i], &status) == 0);
		CHECK(status == (void *)(first + i));
	}
}

static void waves(void)
{
	int last = thr_getid();
	unsigned frames = 0;
	for (int done = 0; done < TOTAL; done += WAVE) {
		wave(done, &last);
		if (done == 0)
			frames = free_frames();
		CHECK(free_frames() == frames);
	}
}

static volatile int hold;	/* flood threads wait while it is set */

static void *wait_hold(void *arg)
{
	while (hold)
		thr_yield(-1);
	return arg;
}

/* Create until thr_create fails; all of them must still finish. */
static void flood(void)
{
	int *tids = malloc(FLOOD * sizeof *tids);
	int n = 0;
	hold = 1;
	while (n < FLOOD && (tids[n] = thr_create(wait_hold, (void *)n)) > 0)
		n++;
	tprintf("flood: %d threads at once\n", n);
	CHECK(n > WAVE);
	hold = 0;
	for (int i = 0; i < n; i++) {
		void *status = NULL;
		CHECK(thr_join(tids[i], &status) == 0 && status == (void *)i);
	}
	free(tids);
	CHECK(thr_join(thr_create(give_back, NULL), NULL) == 0);
}

static void many(void)
{
	CHECK(thr_init(STACK) == 0);
	waves();
	flood();
}

int main(void)
{
	run_modes(many);
	test_done();
}
