/*
 * testlib.h: support for test programs (user/tests/, one behaviour each).
 *
 * A test runs as the first program (kernel command line "... -- NAME
 * args"), reports on the debug log (the serial port) and stops the
 * machine with its verdict, printed as exactly one of
 *   TEST PASS NAME   then poweroff(0x10): QEMU exits 33
 *   TEST FAIL NAME   then poweroff(0x11): QEMU exits 35
 * NAME is the program's name: user/user.mk compiles testlib.c once per
 * test with TEST_NAME set.
 */
#ifndef USER_TESTS_TESTLIB_H
#define USER_TESTS_TESTLIB_H

#include <fable.h>

#define TEST_EXIT_PASS 0x10
#define TEST_EXIT_FAIL 0x11

/* printf to the debug log. */
void tprintf(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));

/* Record a failure (with the expression and place) unless e holds;
 * the test goes on. Evaluates to whether e held. */
#define CHECK(e) test_check((e) != 0, #e, __FILE__, __LINE__)
int test_check(int ok, const char *expr, const char *file, int line);

/* End the test: PASS unless a CHECK failed. */
void test_done(void) __attribute__((__noreturn__));
/* The same verdict line, but the task exits (status 0 on PASS, 1 on
 * FAIL) and the machine runs on: for a test started from the shell. */
void test_exit(void) __attribute__((__noreturn__));
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
