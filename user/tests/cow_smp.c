/* runner: timeout=120 */
/* cow_smp.c: copy-on-write with threads on several CPUs (docs/smp.md,
 * "TLB shootdown"). Two ways a TLB on another CPU can betray it:
 *
 *  - fork write-protects the parent's pages; a thread still writing
 *    through a writable TLB entry on another CPU would write into the
 *    frame the child now shares: the child's snapshot would change;
 *  - a copy-on-write break gives the writer a new frame; a thread still
 *    reading through the old entry on another CPU would go on seeing the
 *    old frame after the writer has published its write.
 *
 * And several threads break copy-on-write pages at once, each its own
 * pages, none losing a write. */
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define BASE 0x40000000u
#define PAGES 4
#define ROUNDS 20
#define SPINS 100000

static char stacks[PAGES][4096] __attribute__((aligned(16)));
static volatile int stop, started[PAGES], done;

/* Wait for a flag another thread sets. Not yield(tid) until it fails:
 * a thread blocked a moment in the kernel (a fault waiting for the
 * address space's lock) would end that wait early. */
static void await_flag(volatile int *flag)
{
	while (!*flag)
		yield(-1);
}

static volatile int *page(int i)
{
	return (volatile int *)(BASE + i * PAGE_SIZE);
}

/* Writes page 0 without end: its value only grows. */
static void writer(void *arg)
{
	(void)arg;
	started[0] = 1;
	while (!stop)
		(*page(0))++;
	done = 1;
}

/* The child's copy of page 0 is the parent's value at the fork: it must
 * not move afterwards. */
static void snapshot_holds(void)
{
	int first = *page(0);
	for (volatile int i = 0; i < SPINS; i++)
		;
	exit(*page(0) == first ? 0 : 1);
}

static int fork_under_writer(void)
{
	stop = 0;
	started[0] = done = 0;
	int tid = thread_fork_on(stacks[0] + sizeof stacks[0], writer, NULL);
	if (tid < 0)
		return 90;
	await_flag(&started[0]);
	int pid = fork();
	if (pid == 0)
		snapshot_holds();
	int status = 99;
	if (pid < 0 || wait(&status) != pid)
		status = 91;
	stop = 1;
	await_flag(&done);
	return status;
}

static volatile int published;	/* the breaker's write is done */

/* Reads page 1 until the write is published; then it must see it. */
static void stale_reader(void *arg)
{
	(void)arg;
	started[1] = 1;
	int seen = 0;
	while (!published)
		seen += *page(1);
	(void)seen;
	started[1] = *page(1) == 2 ? 2 : 3;
}

static int break_under_reader(void)
{
	*page(1) = 1;
	published = 0;
	started[1] = 0;
	int pid = fork();	/* page 1 is copy-on-write in both from here */
	if (pid == 0) {
		sleep(10);	/* sharing the frame: the break must copy it */
		exit(*page(1) == 1 ? 0 : 1);
	}
	int tid = thread_fork_on(stacks[1] + sizeof stacks[1], stale_reader, NULL);
	if (tid < 0)
		return 92;
	await_flag(&started[1]);
	for (volatile int i = 0; i < SPINS; i++)	/* the reader reads on */
		;
	*page(1) = 2;		/* the break: a frame of our own */
	published = 1;
	while (started[1] == 1)
		yield(-1);
	int status = 99;
	if (wait(&status) != pid)
		return 93;
	return started[1] == 2 && status == 0 ? 0 : 94;
}

/* Threads 1..PAGES-1 each write their own copy-on-write page at once. */
static void breaker(void *arg)
{
	int i = (int)arg;
	for (int n = 0; n < 1000; n++)
		(*page(i))++;
	started[i] = 1;
}

static int breaks_at_once(void)
{
	for (int i = 1; i < PAGES; i++) {
		*page(i) = 0;
		started[i] = 0;
	}
	int pid = fork();
	if (pid == 0) {
		for (int i = 1; i < PAGES; i++)
			(*page(i)) += 5;
		int ok = 1;
		for (int i = 1; i < PAGES; i++)
			ok &= *page(i) == 5;
		exit(ok ? 0 : 1);
	}
	int tids[PAGES];
	for (int i = 1; i < PAGES; i++)
		tids[i] = thread_fork_on(stacks[i] + sizeof stacks[i], breaker, (void *)i);
	for (int i = 1; i < PAGES; i++)
		if (tids[i] >= 0)
			await_flag(&started[i]);
	int status = 99, ok = wait(&status) == pid && status == 0;
	for (int i = 1; i < PAGES; i++)
		ok &= tids[i] >= 0 && started[i] == 1 && *page(i) == 1000;
	return ok ? 0 : 95;
}

int main(void)
{
	kstat_t base;
	/* Once first: the region node an unmap keeps for the next map is
	 * then in the baseline. */
	CHECK(new_pages((void *)BASE, PAGES * PAGE_SIZE) == 0);
	CHECK(remove_pages((void *)BASE) == 0);
	test_baseline(&base);
	CHECK(new_pages((void *)BASE, PAGES * PAGE_SIZE) == 0);
	for (int r = 0; r < ROUNDS; r++) {
		int a = fork_under_writer(), b = break_under_reader(), c = breaks_at_once();
		if (a || b || c) {
			tprintf("round %d: fork under writer %d, break under reader %d, "
				"breaks at once %d\n", r, a, b, c);
			CHECK(!a && !b && !c);
			break;
		}
	}
	CHECK(remove_pages((void *)BASE) == 0);
	CHECK(test_baseline_same(&base));
	test_done();
}
