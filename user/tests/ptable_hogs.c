/* ptable_hogs.c: page tables are paid for by the task that needs them.
 * Four hog tasks each map one page in every 4 MiB span of user space they
 * can (a page table apiece: thousands in all) and stay alive, while the
 * main task checks that print, debug_print, new_pages, fork, exec and
 * thr_create still work and that kstat counts the tables. Then one hog
 * takes every frame left: a page in a span without a table costs two
 * frames, so with two free a two-page region there fails cleanly and a
 * one-page one fits; with none free, print and debug_print still work and
 * new_pages and fork fail cleanly. Then every hog exits, and every counter
 * is back. What the hogs take scales with the machine's memory. */
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include "testlib.h"

#define HOGS 4
#define SPAN 0x400000u			/* what one page table maps */
#define MID 0x200000u			/* a hog's page: the middle of each span */
#define FIRST_SPAN (0x01000000u / SPAN)	/* user space starts */
#define SPANS 1024u
#define SCRATCH 0x40000000u		/* the main task's own new_pages */
#define CHUNK_PAGES 511u		/* above MID, up to the span's end */

#define SAY_BYTES 2048			/* more than a small kernel object */

static int main_tid;
static char block[SAY_BYTES];

static kstat_t snap(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k;
}

/* The frames tasklist charges to the calling task (0 if it cannot say). */
static unsigned own_frames(void)
{
	static task_info_t info[64];
	int n = tasklist(info, 64), me = gettid();
	for (int i = 0; i < n && i < 64; i++)
		if (info[i].id == me)
			return info[i].frames;
	return 0;
}

/* Wake tid, which is descheduled or about to be: retry until it is. */
static void wake(int tid)
{
	while (make_runnable(tid) < 0)
		yield(-1);
}

/* Sleep until some thread wakes us. */
static void await_wake(void)
{
	int never = 0;
	deschedule(&never);
}

static unsigned *span_page(unsigned s)
{
	return (unsigned *)(s * SPAN + MID);
}

/* One page in each of spans spans, from the first of user space up, each
 * written to: true if all were granted and charged a frame and (outside
 * the spans the program and its stack already have tables in) a table. */
static int hog_map(unsigned spans)
{
	unsigned before = own_frames(), got = 0;
	for (unsigned s = FIRST_SPAN; got < spans; s++, got++) {
		if (new_pages(span_page(s), PAGE_SIZE) < 0)
			break;
		*span_page(s) = s;
	}
	unsigned charge = own_frames() - before;
	tprintf("ptable_hogs: hog %d mapped %u of %u spans, charged %u frames\n", gettid(), got,
		spans, charge);
	return CHECK(got == spans) && CHECK(charge <= 2 * got && charge + 3 >= 2 * got);
}

/* Fill every frame left with regions beside the pages of spans
 * [FIRST_SPAN, FIRST_SPAN + spans), except span keep: true if memory ran
 * out first, as a failed one-page region in a span with a table shows. */
static int fill(unsigned spans, unsigned keep)
{
	for (unsigned s = FIRST_SPAN; s < FIRST_SPAN + spans; s++) {
		if (s == keep)
			continue;
		unsigned pages = CHUNK_PAGES;
		while (pages && new_pages((char *)span_page(s) + PAGE_SIZE, pages * PAGE_SIZE) < 0)
			pages /= 2;
		if (!pages)
			return 1;
	}
	return 0;
}

/* The greedy hog: with the other tasks asleep, take every frame and check
 * the charge of a page table to the frame. */
static int hog_exhaust(unsigned spans)
{
	unsigned keep = FIRST_SPAN + spans / 2;	/* a span with only our page */
	if (!fill(spans, keep)) {
		tprintf("ptable_hogs: memory outlasted %u spans: no exact check\n", spans);
		return 1;
	}
	int ok = CHECK(snap().free_frames == 0);
	ok &= CHECK(remove_pages(span_page(keep)) == 0);
	ok &= CHECK(snap().free_frames == 2);	/* the page and its table */
	ok &= CHECK(new_pages(span_page(keep), 2 * PAGE_SIZE) < 0);	/* 2 + a table */
	ok &= CHECK(snap().free_frames == 2);
	ok &= CHECK(new_pages(span_page(keep), PAGE_SIZE) == 0);	/* 1 + a table */
	ok &= CHECK(snap().free_frames == 0);
	return ok;
}

static void hog(int greedy, unsigned spans)
{
	int ok = hog_map(spans);
	wake(main_tid);
	await_wake();
	if (greedy) {
		ok &= hog_exhaust(spans);
		wake(main_tid);
		await_wake();
	}
	exit(ok ? 0 : 1);
}

/* print and debug_print what, padded with lines of dots to SAY_BYTES
 * (a copy that large once needed a whole page of kernel memory). */
static int say(const char *what)
{
	memset(block, '.', SAY_BYTES);
	for (int i = 63; i < SAY_BYTES; i += 64)
		block[i] = '\n';
	memcpy(block, what, strlen(what));
	return print(SAY_BYTES, block) == 0 && debug_print(SAY_BYTES, block) == 0;
}

static void *thread_body(void *arg)
{
	return (void *)((int)arg + 1);
}

/* What must keep working while the hogs hold their page tables. */
static void while_hogged(unsigned spans)
{
	CHECK(say("ptable_hogs: print, debug_print beside the hogs\n"));
	CHECK(snap().page_table_frames >= HOGS * (spans - 2));
	CHECK(new_pages((void *)SCRATCH, 16 * PAGE_SIZE) == 0);
	for (unsigned i = 0; i < 16; i++)
		((unsigned *)SCRATCH)[i * PAGE_SIZE / 4] = i;
	CHECK(remove_pages((void *)SCRATCH) == 0);
	int status = -1, pid = fork();
	if (pid == 0)
		exit(7);
	CHECK(pid > 0 && wait(&status) == pid && status == 7);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "true", NULL };
		exec("true", argv);
		exit(99);
	}
	CHECK(pid > 0 && wait(&status) == pid && status == 0);
	void *res = NULL;
	CHECK(thr_init(PAGE_SIZE) == 0);
	int tid = thr_create(thread_body, (void *)41);
	CHECK(tid > 0 && thr_join(tid, &res) == 0 && res == (void *)42);
}

/* What must hold while no frame is left. */
static void while_full(void)
{
	CHECK(snap().free_frames == 0);
	CHECK(say("ptable_hogs: print, debug_print, no frame free\n"));
	CHECK(new_pages((void *)SCRATCH, PAGE_SIZE) < 0);
	int pid = fork();
	if (pid == 0)
		exit(0);
	CHECK(pid < 0);
	if (pid > 0)
		wait(NULL);
}

static void scenario(void)
{
	int hogs[HOGS], status;
	unsigned spans = snap().free_frames * 3 / 16 / 2;	/* 3/4 of memory in all */
	if (spans > SPANS - FIRST_SPAN - 1)
		spans = SPANS - FIRST_SPAN - 1;
	main_tid = gettid();
	for (int i = 0; i < HOGS; i++) {
		hogs[i] = fork();
		if (hogs[i] == 0)
			hog(i == 0, spans);
		CHECK(hogs[i] > 0);
	}
	for (int i = 0; i < HOGS; i++)
		await_wake();	/* each hog has mapped */
	while_hogged(spans);
	wake(hogs[0]);
	await_wake();		/* it took every frame */
	while_full();
	for (int i = 0; i < HOGS; i++)
		wake(hogs[i]);
	for (int i = 0; i < HOGS; i++) {
		int pid = wait(&status);
		CHECK(pid > 0 && status == 0);
	}
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	CHECK(test_in_child(scenario) == 0);
	CHECK(test_baseline_same(&base));
	test_done();
}
