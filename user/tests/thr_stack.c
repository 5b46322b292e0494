/*
 * thr_stack.c: stacks with threads (docs/abi/image.md §5, docs/abi/userlib.md §3, §5).
 * After thr_init, with other threads running, the main thread's stack
 * still grows on demand past 64 KiB; a thread gets at least the stack
 * size thr_init was given (3000 bytes, 160 KiB), usable from its lowest
 * byte up; a thread that runs off its stack hits the guard page, and the
 * task ends with status -2 instead of hanging its joiner.
 */
/* runner: timeout=60 */
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define BIG    (96 * 1024)	/* a frame past 64 KiB */
#define SMALL  3000		/* an odd thr_init size */
#define LARGE  (160 * 1024)
#define MARGIN 512		/* what the thread's own frames take */

static volatile int stop;

static void *spin(void *arg)
{
	while (!stop)
		thr_yield(-1);
	return arg;
}

/* Touch a frame of n bytes, lowest address first; their sum. */
static int touch(int n)
{
	volatile char frame[n];
	int sum = 0;
	for (int i = 0; i < n; i += 256)
		frame[i] = (char)(i >> 8);
	for (int i = 0; i < n; i += 256)
		sum += frame[i];
	return sum;
}

static int expected(int n)
{
	int sum = 0;
	for (int i = 0; i < n; i += 256)
		sum += (char)(i >> 8);
	return sum;
}

static void *touch_thread(void *arg)
{
	return (void *)touch((int)arg);
}

/* The main thread grows while another thread runs. */
static void main_grows(void)
{
	CHECK(thr_init(PAGE_SIZE) == 0);
	stop = 0;
	int tid = thr_create(spin, NULL);
	CHECK(touch(BIG) == expected(BIG));
	CHECK(touch(2 * BIG) == expected(2 * BIG));
	stop = 1;
	CHECK(thr_join(tid, NULL) == 0);
}

/* A thread may use all of the size thr_init was given. */
static void thread_uses(unsigned size, int frame)
{
	void *sum = NULL;
	CHECK(thr_init(size) == 0);
	CHECK(thr_join(thr_create(touch_thread, (void *)frame), &sum) == 0);
	CHECK((int)sum == expected(frame));
}

static void small_stack(void)
{
	thread_uses(SMALL, SMALL - MARGIN);
}

static void large_stack(void)
{
	thread_uses(LARGE, LARGE - MARGIN);
}

static volatile int deeper = 1;	/* always; hides the endless recursion from gcc */

static int endless(int depth)
{
	volatile char frame[512];
	frame[0] = (char)depth;
	return (deeper ? endless(depth + 1) : 0) + frame[0];
}

static void *overflow_thread(void *arg)
{
	return (void *)endless((int)arg);
}

/* Off the end of a thread's stack: the task ends, the join never returns. */
static void overflow(void)
{
	CHECK(thr_init(2 * PAGE_SIZE) == 0);
	thr_join(thr_create(overflow_thread, NULL), NULL);
	exit(1);
}

static void body(void)
{
	test_in_child(main_grows);
	test_in_child(small_stack);
	test_in_child(large_stack);
	CHECK(status_of(overflow) == -2);
}

int main(void)
{
	run_modes(body);
	test_done();
}
