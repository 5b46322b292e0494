/*
 * fiber_basic.c: fibers on one kernel thread (N:1, fiber.h). They run in
 * creation order and take turns at every yield; join returns the value
 * of the fiber's function or of fiber_exit deep in a call chain; join
 * refuses itself, a second joiner and callers outside fibers; fiber_run
 * refuses to start inside a run; fibers
 * create and join fibers; all fibers joining each other is a deadlock
 * that fiber_run reports; fibers nobody joins are freed. Then 1,000
 * fibers at once, in four rounds (the third unjoined): the free frames
 * are the same after the second and every later one (stacks and records
 * come back), and no leaks.
 */
#include <fiber.h>
#include <stdint.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define MANY   1000
#define ROUNDS 4
#define LOG    64

static char order[LOG];		/* what the fibers did, in order */
static int nlog;

static void note(char c)
{
	if (nlog < LOG - 1)
		order[nlog++] = c;
}

/* Three turns, each noted: 'a' + k for fiber k. */
static void *turns(void *arg)
{
	char c = (char)(intptr_t)arg;
	for (int i = 0; i < 3; i++) {
		note(c);
		fiber_yield();
	}
	return (void *)(intptr_t)(c - 'a' + 100);
}

static volatile int exit_now = 1;	/* gcc must not see the end coming */

static int deep_exit(int depth)
{
	if (depth > 0)
		return deep_exit(depth - 1) + 1;
	if (exit_now)
		fiber_exit((void *)77);
	return 0;
}

static void *exits_deep(void *arg)
{
	(void)arg;
	note((char)deep_exit(20));	/* not reached */
	return NULL;
}

static fiber_t *victim;		/* joined by two fibers: only one may */

static void *join_victim(void *arg)
{
	void *status = NULL;
	int r = fiber_join(victim, &status);
	note(r == 0 ? 'J' : 'R');
	if (r == 0)
		CHECK(status == arg);
	return NULL;
}

static void *parent(void *arg)
{
	(void)arg;
	CHECK(fiber_join(fiber_self(), NULL) == -1);
	CHECK(fiber_run(1) == -1);		/* one run at a time */
	fiber_t *kids[3];
	for (int i = 0; i < 3; i++)
		kids[i] = fiber_create(turns, (void *)(intptr_t)('a' + i));
	fiber_t *deep = fiber_create(exits_deep, NULL);
	victim = fiber_create(turns, (void *)(intptr_t)'x');
	fiber_t *j1 = fiber_create(join_victim, (void *)(intptr_t)('x' - 'a' + 100));
	fiber_t *j2 = fiber_create(join_victim, (void *)(intptr_t)('x' - 'a' + 100));
	for (int i = 0; i < 3; i++) {
		void *status = NULL;
		CHECK(kids[i] && fiber_join(kids[i], &status) == 0);
		CHECK(status == (void *)(intptr_t)(100 + i));
	}
	void *status = NULL;
	CHECK(fiber_join(deep, &status) == 0 && status == (void *)77);
	CHECK(fiber_join(j1, NULL) == 0 && fiber_join(j2, NULL) == 0);
	return NULL;
}

/* a, b, c take turns in creation order; x too; the first joiner of x
 * gets it, the second is refused at once. */
static void order_and_join(void)
{
	CHECK(fiber_join(NULL, NULL) == -1);	/* outside a fiber */
	fiber_t *p = fiber_create(parent, NULL);
	CHECK(p != NULL);
	CHECK(fiber_run(1) == 0);
	order[nlog] = 0;
	tprintf("order: %s\n", order);
	CHECK(strcmp(order, "abcxRabcxabcxJ") == 0);
}

static fiber_t *ring[2];

static void *join_other(void *arg)
{
	fiber_yield();		/* both exist before either joins */
	return (void *)(intptr_t)fiber_join(ring[!(intptr_t)arg], NULL);
}

/* Two fibers joining each other: fiber_run reports it and frees them. */
static void deadlock(void)
{
	for (int i = 0; i < 2; i++)
		ring[i] = fiber_create(join_other, (void *)(intptr_t)i);
	CHECK(fiber_run(1) == -1);
	CHECK(fiber_run(1) == 0);		/* nothing left to run */
}

static void *count(void *arg)
{
	int *n = arg;
	(*n)++;
	fiber_yield();
	(*n)++;
	return arg;
}

static unsigned free_frames(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k.free_frames;
}

/* MANY fibers alive at once, joined by one; in the third round of four
 * nobody joins them (fiber_run frees them). */
static void *many_joiner(void *arg)
{
	static fiber_t *f[MANY];
	int *n = arg;
	for (int i = 0; i < MANY; i++)
		CHECK((f[i] = fiber_create(count, &n[i])) != NULL);
	for (int i = MANY - 1; i >= 0; i--) {
		void *status = NULL;
		CHECK(fiber_join(f[i], &status) == 0 && status == &n[i]);
	}
	return NULL;
}

static void *many_free(void *arg)
{
	int *n = arg;
	for (int i = 0; i < MANY; i++)
		CHECK(fiber_create(count, &n[i]) != NULL);
	return NULL;
}

static void many(void)
{
	static int n[MANY];
	unsigned frames = 0;
	for (int r = 0; r < ROUNDS; r++) {
		memset(n, 0, sizeof n);
		fiber_create(r == 2 ? many_free : many_joiner, n);
		CHECK(fiber_run(1) == 0);
		int all = 1;
		for (int i = 0; i < MANY; i++)
			all &= n[i] == 2;
		CHECK(all);
		if (r == 1)
			frames = free_frames();
		if (r > 1)
			CHECK(free_frames() == frames);
	}
	CHECK(fiber_stack_size(3 * 4096) == 0);	/* no fiber left */
	CHECK(fiber_stack_size(0) == -1);
	CHECK(fiber_stack_size(FIBER_STACK) == 0);
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	CHECK(test_in_child(order_and_join) == 0);
	CHECK(test_in_child(deadlock) == 0);
	CHECK(test_in_child(many) == 0);
	CHECK(test_baseline_same(&base));
	test_done();
}
