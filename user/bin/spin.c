/*
 * spin.c: CPU-bound load whose throughput make bench-smp compares across
 * CPU counts (tools/bench_smp.py, docs/smp.md).
 *
 *   spin threads N TICKS [-p]   N threads of one task count rounds of a
 *                               busy loop for TICKS ticks
 *   spin forks N TICKS [-p]     N tasks each fork, let the child exit and
 *                               wait for it, in a loop, for TICKS ticks
 *
 * It prints one line, "SPIN threads N ticks T work W" (W rounds, or
 * forks, done in the T ticks it measured), and with -p powers off (it is
 * then the first program). The work never blocks and never yields: on
 * one CPU the threads take turns, on several they can run at once, and
 * W over T is the throughput.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <fable.h>
#include <thread.h>

#define MAX_WORKERS 64
#define ROUND 10000		/* busy-loop steps between two looks at the clock */
#define STACK_SIZE 4096

static volatile int go;			/* [atomic] the workers start together */
static unsigned end;			/* [set before go] the tick to stop at */
static unsigned rounds[MAX_WORKERS];	/* [owner] what worker i did */

static void wait_for_go(void)
{
	while (!go)
		thr_yield(-1);
}

static void *count_rounds(void *arg)
{
	unsigned *mine = arg;
	wait_for_go();
	while (get_ticks() < end) {
		for (volatile int i = 0; i < ROUND; i++)
			continue;
		(*mine)++;
	}
	return NULL;
}

/* n threads for ticks ticks: the rounds they did in all. */
static unsigned threads(int n, unsigned ticks)
{
	int tids[MAX_WORKERS];
	unsigned total = 0;

	if (thr_init(STACK_SIZE) < 0)
		return 0;
	for (int i = 0; i < n; i++)
		if ((tids[i] = thr_create(count_rounds, &rounds[i])) < 0) {
			printf("spin: thr_create failed\n");
			exit(-1);
		}
	end = get_ticks() + ticks;
	go = 1;
	for (int i = 0; i < n; i++) {
		thr_join(tids[i], NULL);
		total += rounds[i];
	}
	return total;
}

/* One forker: fork, the child exits at once, wait for it; until end.
 * Its count is its exit status. */
static void forker(void)
{
	int forks = 0, status;
	while (get_ticks() < end) {
		int pid = fork();
		if (pid == 0)
			exit(0);
		if (pid < 0 || wait(&status) < 0)
			break;
		forks++;
	}
	exit(forks);
}

/* n forkers for ticks ticks: the forks they made in all. */
static unsigned forks(int n, unsigned ticks)
{
	unsigned total = 0;
	int status;

	end = get_ticks() + ticks;
	for (int i = 0; i < n; i++) {
		int pid = fork();
		if (pid == 0)
			forker();
		if (pid < 0)
			printf("spin: fork failed\n");
	}
	while (wait(&status) >= 0)
		total += (unsigned)status;
	return total;
}

int main(int argc, char *argv[])
{
	int n = argc > 2 ? atoi(argv[2]) : 0;
	int ticks = argc > 3 ? atoi(argv[3]) : 0;
	bool off = argc > 4 && strcmp(argv[4], "-p") == 0;
	bool fork_mode = argc > 1 && strcmp(argv[1], "forks") == 0;

	if (argc < 4 || (!fork_mode && strcmp(argv[1], "threads") != 0) ||
	    n < 1 || n > MAX_WORKERS || ticks < 1) {
		printf("usage: spin threads|forks N TICKS [-p]\n");
		return -1;
	}
	unsigned start = get_ticks();
	unsigned work = fork_mode ? forks(n, (unsigned)ticks) : threads(n, (unsigned)ticks);
	printf("SPIN %s %d ticks %u work %u\n", argv[1], n, get_ticks() - start, work);
	if (off)
		poweroff(POWEROFF_PASS);
	return 0;
}
