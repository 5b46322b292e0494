/*
 * leakcheck.c: run a program and check that it leaves nothing behind.
 *
 *   leakcheck [-p] PROGRAM [ARGS...]
 *
 * Reads the kernel's counters (kstat), runs PROGRAM, reaps it and every
 * other child that comes to this task, then checks that free frames,
 * kernel heap bytes, tasks, threads, open files, pipes and file pages
 * are back where they were, giving
 * the kernel up to SETTLE_TICKS to finish tearing things down.
 *
 * As the first program it is init, so the orphans PROGRAM leaves behind
 * come here too and are waited for: that is how the test runner starts
 * every user test (tests/runner/discover.py). Started from the shell, the
 * orphans go to the real init, which reaps them in its own time.
 *
 * The exit status is 0 if PROGRAM exited with 0 and nothing leaked, else
 * 1. With -p the machine powers off with that verdict instead
 * (POWEROFF_PASS or POWEROFF_FAIL: QEMU exits 33 or 35).
 */
#include <fable.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define SETTLE_TICKS 200	/* the kernel frees kernel stacks lazily */
#define STACK_WARM 8192		/* bytes of stack touched before the baseline */
#define EXEC_FAILED 127		/* the child's status when exec fails */

/* Grow the stack now, so that a stack page autostack maps later does
 * not count as a frame the program leaked. */
static void warm_stack(void)
{
	volatile char buf[STACK_WARM];
	memset((char *)buf, 0, sizeof buf);
}

static void counters(kstat_t *k)
{
	k->size = sizeof *k;
	if (kstat(k) < 0)
		memset(k, 0, sizeof *k);
}

static int same(const kstat_t *a, const kstat_t *b)
{
	return a->free_frames == b->free_frames && a->tasks == b->tasks &&
	       a->threads == b->threads &&
	       a->kernel_heap_bytes_in_use == b->kernel_heap_bytes_in_use &&
	       a->open_files == b->open_files && a->pipes == b->pipes &&
	       a->fs_pages == b->fs_pages;
}

/* One line the runner reads: tests/runner/discover.py compares them. */
static void show(const char *when, const kstat_t *k)
{
	printf("leakcheck: kstat %s: free_frames=%u heap=%u tasks=%u threads=%u "
	       "files=%u pipes=%u fs_pages=%u\n", when, k->free_frames,
	       k->kernel_heap_bytes_in_use, k->tasks, k->threads, k->open_files, k->pipes,
	       k->fs_pages);
}

/* Start argv[0] with argv in a child; its id, or negative. */
static int start(char **argv)
{
	int pid = fork();
	if (pid == 0) {
		exec(argv[0], argv);
		printf("leakcheck: cannot run %s\n", argv[0]);
		exit(EXEC_FAILED);
	}
	return pid;
}

/* Reap children until none is left; the status of pid. */
static int reap_all(int pid, int *orphans)
{
	int status = -1, s, who;
	*orphans = 0;
	while ((who = wait(&s)) >= 0) {
		if (who == pid)
			status = s;
		else
			(*orphans)++;
	}
	return status;
}

/* Wait for the counters to come back to base; whether they did. */
static int settle(const kstat_t *base, kstat_t *now)
{
	for (int t = 0; t < SETTLE_TICKS; t++) {
		counters(now);
		if (same(base, now))
			return 1;
		sleep(1);
	}
	return 0;
}

static int run(char **argv)
{
	kstat_t base, now;
	warm_stack();
	counters(&base);
	show("before", &base);
	int pid = start(argv);
	if (pid < 0) {
		printf("leakcheck: fork failed (%d)\n", pid);
		return 1;
	}
	int orphans, status = reap_all(pid, &orphans);
	printf("leakcheck: %s exited with status %d; %d other tasks reaped\n",
	       argv[0], status, orphans);
	int clean = settle(&base, &now);
	show("after", &now);
	if (clean)
		printf("LEAKCHECK PASS %s\n", argv[0]);
	else
		printf("LEAKCHECK FAIL %s: free_frames %u -> %u, heap %u -> %u, "
		       "tasks %u -> %u, threads %u -> %u, files %u -> %u, pipes %u -> %u, "
		       "fs_pages %u -> %u\n", argv[0],
		       base.free_frames, now.free_frames, base.kernel_heap_bytes_in_use,
		       now.kernel_heap_bytes_in_use, base.tasks, now.tasks,
		       base.threads, now.threads, base.open_files, now.open_files,
		       base.pipes, now.pipes, base.fs_pages, now.fs_pages);
	return status != 0 || !clean;
}

int main(int argc, char **argv)
{
	int power = argc > 1 && !strcmp(argv[1], "-p");
	if (argc < 2 + power) {
		printf("usage: leakcheck [-p] PROGRAM [ARGS...]\n");
		return 1;
	}
	int failed = run(argv + 1 + power);
	if (power)
		poweroff(failed ? POWEROFF_FAIL : POWEROFF_PASS);
	return failed;
}
