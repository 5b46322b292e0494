/*
 * fiber_guard.c: a fiber that runs off its stack faults on its guard
 * page, the unmapped page under its stack (fiber.h), and so is stopped
 * before it writes into the stack of the fiber below it.
 *
 * 1. Fiber B (the lower stack slot) fills the top of its stack with a
 *    pattern and joins fiber A; A recurses without end. A handler of our
 *    own (swexn) catches the fault: it must be in A's guard page, at
 *    A's stack pointer, and B's pattern must be intact.
 * 2. With no handler of ours, the overflow ends the task with status -2:
 *    N:1 on the main thread, and M:N on thread-library threads (whose
 *    crash handler ends the task: docs/userlib.md).
 * No leaks.
 */
#include <fiber.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>
#include "testlib.h"

#define PATTERN 0x5a
#define MARKED  1024		/* bytes of B's stack marked */
#define CAUGHT  42		/* the child's status when all was well */

static volatile uintptr_t a_low;	/* lowest byte of A's stack */
static fiber_t *a;			/* A, which B joins */
static volatile char *volatile b_mark;	/* B's marked bytes, once marked */
static char exn_stack[4096];

static uintptr_t page_of(uintptr_t a)
{
	return a & ~(uintptr_t)(PAGE_SIZE - 1);
}

/* Deeper and deeper, writing every frame, until the guard stops us. */
static volatile int bottomless = 1 << 30;

static int dive(int depth)
{
	volatile char frame[200];
	frame[0] = (char)depth;
	if (depth == bottomless)
		return 0;
	return dive(depth + 1) + frame[0];
}

static void caught(void *arg, ureg_t *u);

/* A: arg non-NULL: catch the fault with our handler (registered on the
 * kernel thread A dives on, after its last yield). */
static void *fiber_a(void *arg)
{
	uintptr_t sp = (uintptr_t)&sp;
	a_low = page_of(sp) + PAGE_SIZE - FIBER_STACK;
	/* Let B mark its stack. One yield is not enough with M:N: B may
	 * not have started on its kernel thread yet, and our handler would
	 * then read a NULL b_mark and fault in turn. */
	while (!b_mark)
		fiber_yield();
	if (arg)
		swexn(exn_stack + sizeof exn_stack, caught, NULL, NULL);
	return (void *)(intptr_t)dive(0);
}

/* B: arg non-NULL: the B right below A, which marks its stack and
 * keeps it (joining A); the others just end. */
static void *fiber_b(void *arg)
{
	char mark[MARKED];
	if (!arg)
		return NULL;
	for (int i = 0; i < MARKED; i++)
		mark[i] = PATTERN;
	b_mark = mark;
	fiber_join(a, NULL);		/* A dives now */
	return NULL;
}

/* The fault: where it is, and whether B's bytes survived, in the
 * child's exit status. */
static void caught(void *arg, ureg_t *u)
{
	(void)arg;
	int intact = 1;
	for (int i = 0; i < MARKED; i++)
		intact &= b_mark[i] == PATTERN;
	uintptr_t guard = a_low - PAGE_SIZE;
	int in_guard = u->cause == SWEXN_CAUSE_PAGEFAULT && u->cr2 >= guard && u->cr2 < a_low;
	tprintf("fault at %#x (guard %#x-%#x), esp %#x; B's marks %s\n", u->cr2,
		(unsigned)guard, (unsigned)a_low, u->esp, intact ? "intact" : "overwritten");
	task_vanish(in_guard && intact && u->esp - u->cr2 <= 64 ? CAUGHT : 1);
}

/* Bs in the lower slots, A above the last; on nthreads kernel threads. */
static void a_over_b(int catch, int nthreads)
{
	if (nthreads > 1)
		CHECK(thr_init(4096) == 0);
	for (int i = 0; i < nthreads; i++)
		CHECK(fiber_create(fiber_b, i == nthreads - 1 ? &a : NULL) != NULL);
	CHECK((a = fiber_create(fiber_a, catch ? &a : NULL)) != NULL);
	fiber_run(nthreads);
	exit(1);			/* not reached */
}

static void caught_n_to_1(void)
{
	a_over_b(1, 1);
}

static void caught_m_to_n(void)
{
	a_over_b(1, 3);
}

static void killed_n_to_1(void)
{
	a_over_b(0, 1);
}

static void killed_m_to_n(void)
{
	a_over_b(0, 3);
}

static int status_of(void (*body)(void))
{
	int status = 0, pid = fork();
	if (pid == 0)
		body();
	CHECK(pid > 0 && wait(&status) == pid);
	return status;
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	CHECK(status_of(caught_n_to_1) == CAUGHT);
	CHECK(status_of(caught_m_to_n) == CAUGHT);
	CHECK(status_of(killed_n_to_1) == -2);
	CHECK(status_of(killed_m_to_n) == -2);
	CHECK(test_baseline_same(&base));
	test_done();
}
