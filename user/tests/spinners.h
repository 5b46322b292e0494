/*
 * spinners.h: threads that load the CPU, for the scheduler's tests
 * (sched_latency.c, sched_starve.c; docs/scheduling.md).
 *
 * spinners_start(n, fn) makes n threads of the calling task, each running
 * fn(i) on its own small stack, until the tick spin_end; spinners_wait()
 * waits (sleeping) until all have returned. A spinner notes the largest
 * gap between two of its get_ticks() calls: how long it waited, runnable,
 * while others ran.
 */
#ifndef USER_TESTS_SPINNERS_H
#define USER_TESTS_SPINNERS_H

#include <syscall.h>
#include <thr_internals.h>

#define SPIN_STACKS_AT  ((char *)0x50000000)
#define SPIN_STACK_SIZE 2048

static unsigned spin_end;		/* [set before the threads exist] */
static volatile int spin_alive;		/* [atomic] threads not yet done */
static void (*spin_fn)(int i);		/* [set before the threads exist] */

/* Raise *max to v, atomically. */
static inline void spin_note_max(volatile unsigned *max, unsigned v)
{
	unsigned m = *max;
	while (v > m && !__sync_bool_compare_and_swap(max, m, v))
		m = *max;
}

/* A few thousand instructions of plain computation: cheaper for QEMU to
 * run than a system call, so tests under -icount go faster. */
static inline void spin_a_little(void)
{
	for (volatile int i = 0; i < 1000; i++)
		continue;
}

/* Spin until spin_end; return the largest gap between two runs, the
 * last one (in which it saw the end) included. */
static inline unsigned spin_until_end(void)
{
	unsigned last = get_ticks(), gap = 0;
	for (;;) {
		unsigned now = get_ticks();
		if (now - last > gap)
			gap = now - last;
		if ((int)(now - spin_end) >= 0)
			return gap;
		last = now;
		spin_a_little();
	}
}

static void spin_thread(void *arg)
{
	spin_fn((int)arg);
	__sync_sub_and_fetch(&spin_alive, 1);
}

/* n threads running fn(0) .. fn(n - 1) until tick spin_end (set by the
 * caller); returns how many were made. */
static inline int spinners_start(int n, void (*fn)(int i))
{
	if (new_pages(SPIN_STACKS_AT, n * SPIN_STACK_SIZE) < 0)
		return 0;
	spin_fn = fn;
	spin_alive = n;
	int made = 0;
	while (made < n && thread_fork_on(SPIN_STACKS_AT + (made + 1) * SPIN_STACK_SIZE,
					  spin_thread, (void *)made) >= 0)
		made++;
	__sync_sub_and_fetch(&spin_alive, n - made);
	return made;
}

static inline void spinners_wait(void)
{
	while (spin_alive)
		sleep(1);
}

#endif
