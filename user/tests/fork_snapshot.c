/*
 * fork_snapshot.c: a child's memory is one instant of its parent's, even
 * while another thread of the parent writes during the fork.
 *
 * A writer thread stores seq into page seq % HOT of a region, seq = 1,
 * 2, ..., as fast as it can; the rest of the region (up to 32 MiB, nine
 * page tables) makes each fork long. The main thread forks again and
 * again, also with one-tick time slices, so that a fork is sometimes
 * preempted between two page tables and the writer runs. Fork
 * write-protects the pages one by one but flushes the TLB in one go past
 * the first few (docs/memory.md, "TLB"), so the writer may go on storing
 * through a writable TLB entry into a frame the child already shares:
 * a store during the system call, which the child may see. What must
 * never happen is an entry that outlives the fork: then stores the
 * parent makes afterwards reach the child. Each child checks that its
 * pages hold exactly the writer's stores up to some seq and none after
 * it, then lets the parent's threads run and checks again: its pages
 * must not have moved. (On one CPU the fork's final flush and the switch
 * to the child, which runs first, both drop every stale entry; with
 * several CPUs only a shoot-down reaches the writer's.)
 */
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define BASE 0x40200000u	/* not 4 MiB aligned: one more page table */
#define MAX_PAGES 8192u	/* a fork of that many often spans a tick */
#define HOT 64u		/* the writer's pages: few enough for the TLB */
#define ROUNDS 60
#define STACK 4096
#define RAN_ON 3		/* child's status: right, and the writer ran on */

static unsigned pages;		/* in the region; the first HOT are the writer's */
static volatile int stop, stopped;
static unsigned seq_at_fork;	/* the writer's last seq just before a fork */
static char stack[STACK];
static unsigned per_tick;	/* spin() iterations in a tick, roughly */

static volatile unsigned *page(unsigned j)
{
	return (volatile unsigned *)(BASE + j * PAGE_SIZE);
}

/* Stores to its pages and nothing else (seq stays in a register): a
 * store anywhere else, say to its stack, could fault on a page the fork
 * made read-only and block it until the fork is over. */
static void writer(void *arg)
{
	(void)arg;
	for (unsigned seq = 1; !stop; seq++)
		*page(seq % HOT) = seq;
	stopped = 1;
}

/* The writer's last seq in this space. */
static unsigned last_seq(void)
{
	unsigned last = 0;
	for (unsigned j = 0; j < HOT; j++)
		if (*page(j) > last)
			last = *page(j);
	return last;
}

/* The last seq of the writer that this space holds, if its pages hold
 * exactly the stores up to it (page j: the last seq <= it that is j mod
 * HOT) and the others their fill; ~0u if not. */
static unsigned instant(void)
{
	unsigned last = last_seq();
	for (unsigned j = 0; j < pages; j++) {
		unsigned want = j >= HOT ? j : last - (last - j) % HOT;
		if (*page(j) != want) {
			tprintf("child: page %u holds %u, want %u (last seq %u)\n",
				j, *page(j), want, last);
			return ~0u;
		}
	}
	return last;
}

static void child(void)
{
	unsigned at = instant();
	if (at == ~0u)
		exit(1);
	sleep(2);		/* the parent's writer runs meanwhile */
	unsigned now = instant();
	if (now != at) {
		tprintf("child: last seq %u at first, %u two ticks later\n", at, now);
		exit(2);
	}
	exit(at - seq_at_fork > HOT ? RAN_ON : 0);
}

static void spin(unsigned n)
{
	for (volatile unsigned i = 0; i < n; i++)
		continue;
}

/* Measure per_tick. The writer takes its share of the CPU meanwhile, as
 * it will when spin() is used. */
static void calibrate(void)
{
	unsigned t = get_ticks();
	while (get_ticks() == t)
		continue;
	t = get_ticks();
	unsigned n = 0;
	while (get_ticks() == t)
		spin(100), n += 100;
	per_tick = n ? n : 1;
}

/* Forks the writer went on writing in. Before each, the main thread
 * spins for two ticks: woken by its child's exit it rose a level in the
 * run queue (docs/scheduling.md), above the writer, which would then not
 * run while the fork is preempted; with one-tick slices it sinks back
 * beside it. And it spins on to a varied point of a tick: a parent that
 * forked just after one would rarely see the fork span the next. */
static int rounds(int mode)
{
	int ran_on = 0;
	misbehave(mode);
	for (int i = 0; i < ROUNDS; i++) {
		spin(2 * per_tick + (unsigned)i * 7919u % per_tick);
		seq_at_fork = last_seq();
		int pid = fork();
		if (pid == 0)
			child();
		CHECK(pid > 0);
		int status = -1;
		CHECK(wait(&status) == pid);
		if (status != 0 && status != RAN_ON)
			tprintf("mode %d round %d: child status %d\n", mode, i, status);
		CHECK(status == 0 || status == RAN_ON);
		ran_on += status == RAN_ON;
	}
	misbehave(0);
	return ran_on;
}

int main(void)
{
	kstat_t k = { .size = sizeof k };
	CHECK(kstat(&k) == 0);
	pages = k.free_frames / 4 < MAX_PAGES ? k.free_frames / 4 : MAX_PAGES;
	CHECK(pages > HOT);
	CHECK(new_pages((void *)BASE, pages * PAGE_SIZE) == 0);
	for (unsigned j = 0; j < pages; j++)
		*page(j) = j < HOT ? 0 : j;	/* every page private and writable */
	CHECK(thread_fork_on(stack + STACK, writer, NULL) > 0);
	while (last_seq() < HOT)
		yield(-1);	/* the writer has been round once */
	calibrate();
	int ran_on = rounds(0);
	ran_on += rounds(2);	/* one-tick slices: preempted inside fork */
	tprintf("%u pages; the writer wrote on during %d of %d forks\n", pages, ran_on,
		2 * ROUNDS);
	stop = 1;
	while (!stopped)
		yield(-1);
	CHECK(remove_pages((void *)BASE) == 0);
	test_done();
}
