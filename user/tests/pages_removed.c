/* pages_removed.c: after remove_pages every access to the region faults,
 * even right after the region was in use (a stale TLB entry would let
 * it through): a lone thread that touches it dies with status -2, and a
 * thread of a bigger task dies while the rest of its task goes on. */
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define BASE 0x40000000u
#define LEN (2 * PAGE_SIZE)

static volatile int go, survived;	/* [shared with the reader thread] */
static char reader_stack[4096] __attribute__((aligned(16)));

/* Map, use both pages (loading the TLB), remove. */
static void map_use_remove(void)
{
	if (new_pages((void *)BASE, LEN) < 0)
		exit(10);
	for (unsigned off = 0; off < LEN; off += PAGE_SIZE)
		*(volatile int *)(BASE + off) += 1;
	if (remove_pages((void *)BASE) < 0)
		exit(11);
}

static void read_first(void)
{
	map_use_remove();
	(void)*(volatile int *)BASE;
	exit(1);
}

static void write_second(void)
{
	map_use_remove();
	*(volatile int *)(BASE + PAGE_SIZE) = 5;
	exit(1);
}

/* Reads the region until told to go, then once more. */
static void reader(void *arg)
{
	(void)arg;
	while (!go)
		(void)*(volatile int *)BASE;
	(void)*(volatile int *)BASE;
	survived = 1;
}

/* The other thread reads while this one removes the region. */
static void remove_under_reader(void)
{
	if (new_pages((void *)BASE, LEN) < 0)
		exit(10);
	int tid = thread_fork_on(reader_stack + sizeof reader_stack, reader, NULL);
	if (tid < 0)
		exit(12);
	sleep(2);		/* the reader is looping by now */
	if (remove_pages((void *)BASE) < 0)
		exit(11);
	go = 1;
	while (yield(tid) == 0)	/* until the reader is gone */
		;
	exit(survived);
}

static int status_of(void (*fn)(void))
{
	int pid = fork();
	if (pid == 0)
		fn();
	int status = 99;
	CHECK(pid > 0 && wait(&status) == pid);
	return status;
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	CHECK(status_of(read_first) == -2);
	CHECK(status_of(write_second) == -2);
	CHECK(status_of(remove_under_reader) == 0);
	CHECK(test_baseline_same(&base));
	test_done();
}
