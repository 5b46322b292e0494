/*
 * hog.c: load the CPU in the background, to see that the shell stays
 * responsive under a thread bomb or a fork bomb (docs/scheduling.md).
 *
 *   hog threads N TICKS   N threads of one task spin for TICKS ticks
 *   hog forks TICKS       for TICKS ticks every task forks as fast as it can
 *
 * The load runs in a child task and hog itself ends at once, so the shell
 * prompts again while the load runs. Nothing is printed until the load is
 * over, so that the shell's own answer is the first output after the
 * command line (tests/cases_sched.py measures it). The spinning threads
 * never block or yield; each notes the largest gap between two of its
 * get_ticks() calls, that is, how long it waited, runnable, while others
 * ran; at the end their task prints the largest gap of all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thr_internals.h>

#define STACKS_AT  ((char *)0x50000000)
#define STACK_SIZE 1024		/* a spinner calls only get_ticks */
#define MAX_THREADS 4096

static unsigned end;			/* [set before the threads exist] */
static volatile int alive;		/* [atomic] spinners not yet done */
static volatile unsigned worst;		/* [atomic max] largest gap seen */

static void note_gap(unsigned gap)
{
	unsigned w = worst;
	while (gap > w && !__sync_bool_compare_and_swap(&worst, w, gap))
		w = worst;
}

/* Spin until tick `end`, never blocking, never yielding. The inner loop
 * is cheaper for QEMU than a system call: more guest time per host second. */
static void spin(void *arg)
{
	unsigned last = get_ticks(), gap = 0, now;
	(void)arg;
	while ((now = get_ticks()) < end) {
		if (now - last > gap)
			gap = now - last;
		last = now;
		for (volatile int i = 0; i < 1000; i++)
			continue;
	}
	note_gap(gap);
	__sync_sub_and_fetch(&alive, 1);
}

/* The thread bomb: n spinners, then wait for them and report. Their
 * stacks share whole pages: new_pages takes page multiples only. */
static void threads(int n, unsigned ticks)
{
	int bytes = (n * STACK_SIZE + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (new_pages(STACKS_AT, bytes) < 0) {
		printf("hog: no memory for %d stacks\n", n);
		exit(1);
	}
	end = get_ticks() + ticks;
	alive = n;
	int made = 0;
	while (made < n && thread_fork_on(STACKS_AT + (made + 1) * STACK_SIZE, spin, NULL) >= 0)
		made++;
	__sync_sub_and_fetch(&alive, n - made);
	sleep(ticks);		/* not a wake-up every tick: each would preempt a spinner */
	while (alive)
		sleep(1);
	printf("hog: %d threads spun %u ticks; largest gap between runs %u ticks\n",
	       made, ticks, worst);
	exit(0);
}

/* The fork bomb: this task and every child fork until tick `end`. */
static void forks(unsigned ticks)
{
	int root = gettid(), forked = 0;
	end = get_ticks() + ticks;
	while (get_ticks() < end)
		forked += fork() > 0;
	if (gettid() == root)
		printf("hog: fork bomb over; its first task forked %d times\n", forked);
	exit(0);
}

static void usage(void)
{
	printf("usage: hog threads N TICKS | hog forks TICKS\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	int n = 0;
	unsigned ticks;
	if (argc == 4 && strcmp(argv[1], "threads") == 0) {
		n = atoi(argv[2]);
		ticks = atoi(argv[3]);
		if (n < 1 || n > MAX_THREADS)
			usage();
	} else if (argc == 3 && strcmp(argv[1], "forks") == 0) {
		ticks = atoi(argv[2]);
	} else {
		usage();
	}
	int pid = fork();
	if (pid < 0) {
		printf("hog: cannot fork\n");
		return 1;
	}
	if (pid == 0) {
		if (n)
			threads(n, ticks);
		forks(ticks);
	}
	return 0;
}
