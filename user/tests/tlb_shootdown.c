/* runner: timeout=120 */
/* tlb_shootdown.c: a page removed by one thread is gone for every other
 * thread of the task the instant remove_pages returns, even one that is
 * reading it at that moment on another CPU, whose TLB still maps it
 * unless the kernel shoots it down (docs/smp.md, "TLB shootdown").
 *
 * Each round, in a child task: a reader thread loops reading the page
 * and counting its reads; the main thread waits until the count moves
 * while it runs itself (so the reader is in its loop, on another CPU if
 * there is one), removes the page, and takes the count. One read begun
 * before the removal may still be counted after it; a second means the
 * reader read a page that no longer existed. The reader must then die
 * of the fault, and the task go on. Every other round the page table
 * stays (a neighbouring region keeps it), every other one it is freed. On one CPU the reader is preempted,
 * and faults when it runs again. */
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define BASE 0x40000000u
#define NEIGHBOUR (BASE + 8 * PAGE_SIZE)
#define ROUNDS 40
#define SPINS 200000	/* reads the reader gets to make after the removal */

static volatile unsigned reads;		/* [reader] reads done */
static volatile int late;		/* [main] reads counted after the removal */
static char reader_stack[4096] __attribute__((aligned(16)));

static void reader(void *arg)
{
	(void)arg;
	for (;;) {
		(void)*(volatile int *)BASE;
		reads++;
	}
}

/* Wait until the reader has read at least once more. */
static void until_reads_move(void)
{
	unsigned r = reads;
	while (reads == r)
		yield(-1);
}

/* keep: a second region shares the page table, so that removing the
 * first frees no table (and only the unmap's own shootdown can help). */
static void round_body(int keep)
{
	if (new_pages((void *)BASE, PAGE_SIZE) < 0)
		exit(10);
	if (keep && new_pages((void *)NEIGHBOUR, PAGE_SIZE) < 0)
		exit(13);
	*(volatile int *)BASE = 1;
	int tid = thread_fork_on(reader_stack + sizeof reader_stack, reader, NULL);
	if (tid < 0)
		exit(12);
	until_reads_move();
	until_reads_move();
	if (remove_pages((void *)BASE) < 0)
		exit(11);
	unsigned at = reads;
	for (volatile int i = 0; i < SPINS; i++)
		;
	late = (int)(reads - at);
	if (late > 1)		/* the reader reads on: exit ends it */
		exit(20 + (late > 50 ? 50 : late));
	while (yield(tid) == 0)		/* until the reader has died of its fault */
		;
	exit(0);
}

int main(void)
{
	kstat_t base, k = { .size = sizeof k };
	test_baseline(&base);
	for (int i = 0; i < ROUNDS; i++) {
		int pid = fork();
		if (pid == 0)
			round_body(i % 2 == 0);
		int status = 99;
		CHECK(pid > 0 && wait(&status) == pid);
		if (status != 0) {
			tprintf("round %d: status %d (20 + reads after remove_pages returned)\n",
				i, status);
			CHECK(status == 0);
			break;
		}
	}
	CHECK(kstat(&k) == 0);
	tprintf("tlb_shootdown: %u shootdowns, %u IPIs since boot\n", k.tlb_shootdowns, k.ipis);
	CHECK(test_baseline_same(&base));
	test_done();
}
