/* runner: timeout=90 */
/*
 * stress_sleepers.c: 500 threads asleep at once, each for its own
 * number of ticks (0 to 199, some equal), so that the kernel's sleep
 * queue holds hundreds of entries and many wake on the same tick. Every
 * sleep returns 0 after at least its ticks; none is lost (all 500 are
 * joined). Once with normal scheduling, once with one-tick time slices.
 */
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>
#include "stress.h"
#include "testlib.h"

#define SLEEPERS 500
#define MAX_TICKS 200
#define LATE_TICKS 1000		/* later than this is a lost wake-up */
#define STACK 4096

static volatile int early, late, failed;	/* counted with xadd */

static void count(volatile int *n)
{
	__asm__ volatile("lock xaddl %0, %1" : : "r"(1), "m"(*n) : "memory");
}

static void *sleeper(void *arg)
{
	unsigned ticks = (unsigned)arg;
	unsigned t0 = get_ticks();
	if (sleep((int)ticks) != 0)
		count(&failed);
	unsigned slept = get_ticks() - t0;
	if (slept < ticks)
		count(&early);
	if (slept > ticks + LATE_TICKS)
		count(&late);
	return arg;
}

static void wave(int mode)
{
	static int tids[SLEEPERS];
	misbehave(mode);
	srand(mode + 1);
	for (int i = 0; i < SLEEPERS; i++) {
		tids[i] = thr_create(sleeper, (void *)(rand() % MAX_TICKS));
		CHECK(tids[i] > 0);
	}
	for (int i = 0; i < SLEEPERS; i++) {
		void *status;
		CHECK(tids[i] <= 0 || thr_join(tids[i], &status) == 0);
	}
	misbehave(-1);
	tprintf("stress_sleepers: mode %d: %d early, %d late, %d failed sleeps\n", mode, early,
		late, failed);
	CHECK(!early && !late && !failed);
}

static void sleepers(void)
{
	CHECK(thr_init(STACK) == 0);
	wave(0);
	wave(2);
}

int main(void)
{
	kstat_t base;
	stress_begin(&base);
	test_in_child(sleepers);
	stress_end(&base);
}
