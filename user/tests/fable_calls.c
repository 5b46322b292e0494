/* fable_calls.c: Fable's extensions. debug_print refuses len < 0,
 * len > 4096 and a buffer it cannot read, writing nothing (the refused
 * buffers say LEAKED; tests/cases_abi.py checks the log never does), and
 * writes exactly 4096 bytes in one piece. kstat refuses a size under 4
 * or not a multiple of 4 and a struct it cannot write (writing nothing),
 * fills a smaller struct partially and a larger one only as far as it
 * knows, and its counters make sense (the idle threads' time grows while
 * this task sleeps, by no more than the time that passed on each of at
 * most MAX_CPUS CPUs: the count is their sum). */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define REGION 0x40000000u
#define SENTINEL 0x5E5E5E5Eu
#define KSTAT_SIZE 268
#define KSTAT_WORDS (KSTAT_SIZE / 4 + 4)	/* more than the kernel fills */
#define MAX_CPUS 8	/* the kernel's limit (docs/smp.md) */
#define BIG_LINES 64
#define LINE_LEN 64

int main(void);

static char big[4097];
static char thread_stack[4096] __attribute__((aligned(16)));
static int zero_flag;

static void leaky(char *buf, int len)
{
	for (int i = 0; i < len; i++)
		buf[i] = "LEAKED"[i % 6];
}

static void debug_print_errors(void)
{
	leaky(big, sizeof big);
	CHECK(debug_print(-1, big) < 0);
	CHECK(debug_print(INT_MIN, big) < 0);
	CHECK(debug_print(4097, big) < 0);
	CHECK(debug_print(INT_MAX, big) < 0);
	CHECK(debug_print(10, NULL) < 0);
	CHECK(debug_print(10, (char *)0x500000) < 0);
	CHECK(debug_print(10, (char *)0x00FFFFFA) < 0);
	CHECK(debug_print(0, big) == 0);
	CHECK(new_pages((void *)REGION, PAGE_SIZE) == 0);
	char *edge = (char *)REGION + PAGE_SIZE - 6;
	leaky(edge, 6);
	CHECK(debug_print(12, edge) < 0);
	CHECK(remove_pages((void *)REGION) == 0);
}

/* 64 lines of 64 bytes in one call (the check on serial knows them). */
static void debug_print_big(void)
{
	char line[LINE_LEN + 1];
	for (int i = 0; i < BIG_LINES; i++) {
		snprintf(line, sizeof line, "fable_calls: line %02d of one 4096-byte debug_print call", i);
		memset(line + strlen(line), '.', LINE_LEN - strlen(line));
		line[LINE_LEN - 1] = '\n';
		memcpy(big + i * LINE_LEN, line, LINE_LEN);
	}
	CHECK(debug_print(4096, big) == 0);
	CHECK(debug_print(19, "fable_calls: after\n") == 0);	/* from rodata */
}

static void kstat_errors(void)
{
	unsigned w[16];
	for (unsigned size = 0; size < 4; size++) {
		w[0] = size;
		CHECK(kstat((kstat_t *)w) < 0);
	}
	w[0] = 5, w[1] = SENTINEL;
	CHECK(kstat((kstat_t *)w) < 0 && w[1] == SENTINEL);
	w[0] = 41;
	CHECK(kstat((kstat_t *)w) < 0 && w[1] == SENTINEL);
	CHECK(kstat(NULL) < 0);
	CHECK(kstat((kstat_t *)0x500000) < 0);
	CHECK(kstat((kstat_t *)0x00FFFFFC) < 0);
	CHECK(kstat((kstat_t *)main) < 0);		/* read-only */
	CHECK(new_pages((void *)REGION, PAGE_SIZE) == 0);
	unsigned *edge = (unsigned *)(REGION + PAGE_SIZE - 8);	/* 8 of 40 bytes */
	edge[0] = KSTAT_SIZE, edge[1] = SENTINEL;
	CHECK(kstat((kstat_t *)edge) < 0);
	CHECK(edge[0] == KSTAT_SIZE && edge[1] == SENTINEL);	/* nothing written */
	CHECK(remove_pages((void *)REGION) == 0);
}

/* Fill w with sentinels and ask for size bytes. */
static int kstat_sized(unsigned *w, unsigned size)
{
	for (int i = 0; i < KSTAT_WORDS; i++)
		w[i] = SENTINEL;
	w[0] = size;
	return kstat((kstat_t *)w);
}

static void kstat_sizes(void)
{
	unsigned w[KSTAT_WORDS];
	CHECK(kstat_sized(w, 4) == 0 && w[0] == 4 && w[1] == SENTINEL);
	CHECK(kstat_sized(w, 12) == 0 && w[0] == 12);
	CHECK(w[1] != SENTINEL && w[2] <= w[1] && w[3] == SENTINEL);
	CHECK(kstat_sized(w, 4 * KSTAT_WORDS) == 0 && w[0] == KSTAT_SIZE);
	int untouched = 1;
	for (int i = KSTAT_SIZE / 4; i < KSTAT_WORDS; i++)
		untouched &= w[i] == SENTINEL;
	CHECK(untouched);
}

static kstat_t snap(void)
{
	kstat_t k = { .size = sizeof k };
	CHECK(kstat(&k) == 0);
	return k;
}

static unsigned long long tsc(void)
{
	unsigned long long t;
	__asm__ volatile("rdtsc" : "=A"(t));
	return t;
}

static void counters(void)
{
	unsigned long long c0 = tsc();
	unsigned t0 = get_ticks();
	kstat_t a = snap();
	unsigned t1 = get_ticks();
	CHECK(a.size == KSTAT_SIZE && a.total_frames > 0);
	CHECK(a.free_frames <= a.total_frames);
	CHECK(a.page_table_frames >= 2 && a.page_table_frames < a.total_frames - a.free_frames);
	CHECK(a.kernel_heap_bytes_in_use > 0);
	CHECK(a.tasks >= 1 && a.threads >= 1);
	CHECK(a.ticks - t0 <= t1 - t0);
	for (int i = 0; i < 10; i++)
		gettid();
	sleep(2);
	kstat_t b = snap();
	unsigned long long c1 = tsc();
	CHECK(b.syscalls - a.syscalls >= 12);	/* 10 gettid, sleep, kstat */
	CHECK(b.ticks - a.ticks >= 2);
	unsigned long long ia = a.idle_tsc_lo | (unsigned long long)a.idle_tsc_hi << 32;
	unsigned long long ib = b.idle_tsc_lo | (unsigned long long)b.idle_tsc_hi << 32;
	CHECK(ib > ia && ib - ia <= MAX_CPUS * (c1 - c0));
}

/* Poll until kstat's task and thread counts are these (or a second). */
static int counts_become(unsigned tasks, unsigned threads)
{
	for (int i = 0; i < 100; i++) {
		kstat_t k = snap();
		if (k.tasks == tasks && k.threads == threads)
			return 1;
		sleep(1);
	}
	return 0;
}

static void napper(void *arg)
{
	(void)arg;
	deschedule(&zero_flag);
}

/* tasks counts exited tasks until reaped; threads counts live threads;
 * page_faults counts a child's fatal fault; running the child and
 * coming back are context switches. */
static void population(void)
{
	kstat_t base = snap();
	int pid = fork();
	if (pid == 0)
		*(volatile int *)0x31337000 = 1;
	CHECK(pid > 0);
	CHECK(counts_become(base.tasks + 1, base.threads));
	CHECK(snap().page_faults > base.page_faults);
	CHECK(wait(NULL) == pid);
	CHECK(counts_become(base.tasks, base.threads));
	CHECK(snap().context_switches - base.context_switches >= 2);
	int tid = thread_fork_on(thread_stack + sizeof thread_stack, napper, NULL);
	CHECK(tid > 0 && counts_become(base.tasks, base.threads + 1));
	while (make_runnable(tid) < 0)
		yield(tid);
	CHECK(counts_become(base.tasks, base.threads));
}

int main(void)
{
	debug_print_errors();
	debug_print_big();
	kstat_errors();
	kstat_sizes();
	counters();
	population();
	test_done();
}
