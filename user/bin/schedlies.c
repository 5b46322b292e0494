/*
 * schedlies.c: the lie "threads run at once" (docs/lie-threads.md).
 *
 *   schedlies [THREADS [TICKS [MODE]]]   defaults: 3 threads, 60 ticks, mode 0
 *
 * Each thread spins for TICKS timer ticks without ever blocking or
 * yielding, printing its letter now and then. On one CPU they cannot run
 * at once; the letters come out in runs, one run per time slice, because
 * the timer interrupt takes the CPU from one thread and gives it to the
 * next. Each thread also notes when it finds itself running again after
 * another, and the main thread prints the slices it measured. MODE goes
 * to misbehave() (2: one-tick slices).
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>

#define STACK_SIZE 16384
#define MAX_THREADS 8
#define MAX_SLICES 512
#define LINE 64			/* letters per printed line */
#define LETTERS_PER_TICK 3

/* One time slice as the threads saw it. */
struct slice {
	int thread;
	unsigned start;		/* tick at which it noticed it was running */
};

static struct slice slices[MAX_SLICES];
static volatile int nslices;		/* [atomic add] */
static volatile int last = -1;		/* who ran most recently */
static volatile int printed;		/* [atomic add] letters so far */
static int nthreads, ticks;		/* [set before the threads exist] */
static unsigned spins_per_letter;	/* [set before the threads exist] */
static volatile int go;

/* Record that thread me starts a slice (it ran last if last == me). */
static void note_slice(int me)
{
	last = me;
	int i = __sync_fetch_and_add(&nslices, 1);
	if (i < MAX_SLICES)
		slices[i] = (struct slice){ me, get_ticks() };
}

/* Print me's letter, and a newline after every LINE letters. */
static void print_letter(int me)
{
	char s[2] = { (char)('A' + me), '\n' };
	int n = __sync_add_and_fetch(&printed, 1);
	print(n % LINE ? 1 : 2, s);
}

/* Spin for `ticks` ticks; never block, never yield. */
static void *spin(void *arg)
{
	int me = (int)arg;
	while (!go)
		thr_yield(-1);
	unsigned end = get_ticks() + ticks, n = 0;
	while (get_ticks() < end) {
		if (last != me)
			note_slice(me);
		if (++n % spins_per_letter == 0)
			print_letter(me);
	}
	return NULL;
}

/* How many get_ticks() loops fit in one tick: calibrates the printing. */
static unsigned loops_per_tick(void)
{
	unsigned t = get_ticks(), n = 0;
	while (get_ticks() == t)
		continue;
	for (t = get_ticks(); get_ticks() == t; n++)
		continue;
	return n;
}

/* Summarise the log: slices per thread and their average length. */
static void report(void)
{
	int n = nslices < MAX_SLICES ? nslices : MAX_SLICES, count[MAX_THREADS] = { 0 };
	for (int i = 0; i < n; i++)
		count[slices[i].thread]++;
	printf("\nschedlies: %d slices:", n);
	for (int i = 0; i < nthreads; i++)
		printf(" %c %d", 'A' + i, count[i]);
	unsigned span = n > 1 ? slices[n - 1].start - slices[0].start : 0;
	printf("; average slice %u.%02u ticks\n", n > 1 ? span / (n - 1) : 0,
	       n > 1 ? span * 100 / (n - 1) % 100 : 0);
	printf("  One CPU, one thread at a time: the timer interrupt ends a\n");
	printf("  slice every few ticks (SLICE_TICKS in kernel/proc/sched.h) and\n");
	printf("  the next thread in the run queue gets the CPU.\n");
}

/* Start the spinners, let them go under misbehave(mode), wait for all. */
static void run_spinners(int mode)
{
	int tids[MAX_THREADS];
	for (int i = 0; i < nthreads; i++)
		if ((tids[i] = thr_create(spin, (void *)i)) < 0) {
			printf("schedlies: thr_create failed\n");
			exit(-1);
		}
	misbehave(mode);
	go = 1;
	for (int i = 0; i < nthreads; i++)
		thr_join(tids[i], NULL);
	misbehave(0);
}

int main(int argc, char **argv)
{
	nthreads = argc > 1 ? atoi(argv[1]) : 3;
	ticks = argc > 2 ? atoi(argv[2]) : 60;
	int mode = argc > 3 ? atoi(argv[3]) : 0;
	if (nthreads < 2 || nthreads > MAX_THREADS || ticks < 1) {
		printf("usage: schedlies [THREADS (2-%d) [TICKS [MODE]]]\n", MAX_THREADS);
		return -1;
	}
	if (thr_init(STACK_SIZE) < 0)
		return -1;
	spins_per_letter = loops_per_tick() / LETTERS_PER_TICK + 1;
	printf("schedlies: %d threads spin for %d ticks each, misbehave(%d)\n",
	       nthreads, ticks, mode);
	run_spinners(mode);
	report();
	return 0;
}
