/*
 * testlib.h: support for test programs (user/tests/, one behaviour each).
 *
 * A test is an ordinary program: it reports on the debug log (the serial
 * port), prints its verdict as exactly one of
 *   TEST PASS NAME   then exits with status 0
 *   TEST FAIL NAME   then exits with status 1
 * and its whole task ends. The runner starts it under leakcheck
 * (user/bin/leakcheck.c), which reaps it and its orphans, checks the
 * kernel's counters are back where they were, and powers the machine off
 * with the verdict. A test that must itself be init (it collects orphans)
 * says so with test_as_init(): its verdict then powers the machine off.
 * NAME is the program's name: user/user.mk compiles testlib.c once per
 * test with TEST_NAME set.
 */
#ifndef USER_TESTS_TESTLIB_H
#define USER_TESTS_TESTLIB_H

#include <fable.h>

/* printf to the debug log. */
void tprintf(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));

/* Record a failure (with the expression and place) unless e holds;
 * the test goes on. Evaluates to whether e held. */
#define CHECK(e) test_check((e) != 0, #e, __FILE__, __LINE__)
int test_check(int ok, const char *expr, const char *file, int line);

/* End the test and its task: PASS unless a CHECK failed. */
void test_done(void) __attribute__((__noreturn__));
/* The test runs as the first program, init, without leakcheck: its
 * verdict powers the machine off (POWEROFF_PASS or POWEROFF_FAIL). */
void test_as_init(void);
/* The same, for tests whose point is to get here alive. */
#define test_pass() test_done()
/* End the test now with FAIL, saying why. */
void test_fail(const char *fmt, ...)
	__attribute__((__noreturn__, __format__(__printf__, 1, 2)));

/*
 * Leak checks: take a baseline, run and reap a child, then check that
 * free frames, kernel heap bytes, tasks and threads are back where they
 * were. test_baseline_same waits up to a second for the kernel to finish
 * tearing things down, and prints what differs if they never match.
 * test_baseline first gives the task a descriptor table of its own (an
 * open and a close), which is kept until it exits.
 */
void test_baseline(kstat_t *base);
int test_baseline_same(const kstat_t *base);

/*
 * Run body in a child task and reap it; CHECKs that fail in the child
 * count as the test's own. Returns the child's exit status (its number
 * of failed CHECKs, or -2 if it was killed). A live task may keep
 * caches, so compare a baseline once the task that did the work is gone.
 */
int test_in_child(void (*body)(void));

#endif
