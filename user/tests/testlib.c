/*
 * testlib.c: the test-program support of testlib.h. Compiled into each
 * test program separately, with -DTEST_NAME="name".
 */
#include <fable.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define TPRINTF_MAX 1024	/* longer messages are cut */
#define SETTLE_TICKS 100	/* how long test_baseline_same waits */

static const char name[] = TEST_NAME;
static int failures;		/* [main thread] CHECKs that failed */
static int as_init;		/* [main thread] test_as_init() was called */

static void vtprintf(const char *fmt, va_list ap)
{
	char buf[TPRINTF_MAX];
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	debug_print(n < (int)sizeof buf ? n : (int)sizeof buf - 1, buf);
}

void tprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vtprintf(fmt, ap);
	va_end(ap);
}

int test_check(int ok, const char *expr, const char *file, int line)
{
	if (!ok) {
		failures++;
		tprintf("CHECK FAILED: %s (%s:%d)\n", expr, file, line);
	}
	return ok;
}

void test_as_init(void)
{
	as_init = 1;
}

/* Print the verdict and end the task (or, as init, the machine). */
static void __attribute__((__noreturn__)) verdict(int failed)
{
	tprintf("\nTEST %s %s\n", failed ? "FAIL" : "PASS", name);	/* on a line of its own */
	if (as_init)
		poweroff(failed ? POWEROFF_FAIL : POWEROFF_PASS);
	task_vanish(failed ? 1 : 0);
}

void test_done(void)
{
	verdict(failures);
}

void test_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tprintf("%s: ", name);
	vtprintf(fmt, ap);
	va_end(ap);
	tprintf("\n");
	verdict(1);
}

void test_baseline(kstat_t *base)
{
	/* A task shares its parent's descriptor table until it first
	 * changes it, and then has a copy made (docs/files.md): make that
	 * copy now, or the test's own first open would count as a leak. */
	int fd = open("/", O_RDONLY, 0);
	CHECK(fd >= 0 && close(fd) == 0);
	base->size = sizeof *base;
	CHECK(kstat(base) == 0);
}

static int same(const kstat_t *a, const kstat_t *b)
{
	return a->free_frames == b->free_frames && a->tasks == b->tasks &&
	       a->threads == b->threads &&
	       a->kernel_heap_bytes_in_use == b->kernel_heap_bytes_in_use &&
	       a->open_files == b->open_files && a->pipes == b->pipes &&
	       a->fs_pages == b->fs_pages;
}

int test_baseline_same(const kstat_t *base)
{
	kstat_t now = { .size = sizeof now };
	for (int tries = 0; tries < SETTLE_TICKS; tries++) {
		if (kstat(&now) < 0)
			return 0;
		if (same(base, &now))
			return 1;
		sleep(1);
	}
	tprintf("baseline: free_frames %u -> %u, heap bytes %u -> %u, "
		"tasks %u -> %u, threads %u -> %u, files %u -> %u, pipes %u -> %u\n",
		base->free_frames, now.free_frames,
		base->kernel_heap_bytes_in_use, now.kernel_heap_bytes_in_use,
		base->tasks, now.tasks, base->threads, now.threads,
		base->open_files, now.open_files, base->pipes, now.pipes);
	return 0;
}

int test_in_child(void (*body)(void))
{
	int pid = fork();
	if (pid == 0) {
		body();
		exit(failures);
	}
	int status = -1;
	CHECK(pid > 0 && wait(&status) == pid);
	if (status < 0)
		tprintf("test_in_child: the child ended with status %d\n", status);
	failures += status > 0 ? status : status < 0;
	return status;
}
