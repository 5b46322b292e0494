/* runner: timeout=60 */
/* tasklist_cpus.c: tasklist says which CPU each thread runs on or last
 * ran on (docs/abi/fable.md §5.2). SPINNERS threads spin while the main
 * thread takes snapshots of its own task; in every one, the caller is
 * running on a CPU, no two running threads share a CPU, every CPU
 * number is below 8 (MAX_CPUS), and a thread with none (-1) has not run
 * yet, so it can only be runnable. With spread=N (the SMP case runs it
 * at four CPUs with spread=4) the threads must have been seen on at
 * least N different CPUs: a kernel that reported one CPU for all, or
 * none, fails there. */
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"
#include "spinners.h"

#define SPINNERS 4
#define SNAPSHOTS 200
#define CPUS_MAX 8	/* the kernel's MAX_CPUS (docs/smp.md) */

static task_info_t info[64];

static void spin(int i)
{
	(void)i;
	spin_until_end();
}

/* Our own task's entry in a fresh snapshot, or NULL. */
static const task_info_t *me(void)
{
	int n = tasklist(info, 64), id = gettid();
	for (int i = 0; i < n && i < 64; i++)
		if (info[i].id == id)
			return &info[i];
	return NULL;
}

/* Check one snapshot of t; add the CPUs its threads ran on to *seen. */
static void check(const task_info_t *t, unsigned *seen)
{
	unsigned running = 0;
	int listed = t->nthreads < TASKINFO_THREADS ? t->nthreads : TASKINFO_THREADS;
	for (int i = 0; i < listed; i++) {
		const thread_info_t *th = &t->threads[i];
		CHECK(th->cpu >= -1 && th->cpu < CPUS_MAX);
		if (th->cpu < 0 || th->cpu >= CPUS_MAX) {
			CHECK(th->state == THRINFO_RUNNABLE);
			continue;
		}
		*seen |= 1u << th->cpu;
		if (th->tid == gettid())
			CHECK(th->state == THRINFO_RUNNING);
		if (th->state == THRINFO_RUNNING) {
			CHECK(!(running & 1u << th->cpu));
			running |= 1u << th->cpu;
		}
	}
}

int main(int argc, char **argv)
{
	int spread = 1;
	if (argc > 1 && !strncmp(argv[1], "spread=", 7))
		spread = atoi(argv[1] + 7);
	spin_end = get_ticks() + 1000;		/* ended early below */
	CHECK(spinners_start(SPINNERS, spin) == SPINNERS);
	unsigned seen = 0;
	for (int i = 0; i < SNAPSHOTS; i++) {
		const task_info_t *t = me();
		CHECK(t != NULL);
		if (!t)
			break;
		check(t, &seen);
		if (i % 20 == 19)
			sleep(1);	/* let the spinners move */
	}
	spin_end = get_ticks();
	spinners_wait();
	int cpus = 0;
	for (; seen; seen &= seen - 1)
		cpus++;
	tprintf("tasklist_cpus: threads seen on %d cpu(s), %d wanted\n", cpus, spread);
	CHECK(cpus >= spread);
	test_done();
}
