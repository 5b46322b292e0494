/*
 * thr_crash.c: crashes with threads (docs/abi/userlib.md §3.4). After
 * thr_init, a fault no handler resolves, in a created thread or in the
 * initial one, ends the whole task with status -2, so a joiner never
 * hangs. A thread that deregistered its handler gets the kernel's
 * treatment instead: it alone dies, and the library goes on working.
 */
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define STACK 4096
#define WILD  ((volatile int *)0x31337000)	/* never mapped */

static volatile int stop;

static void *write_wild(void *arg)
{
	(void)arg;
	*WILD = 1;
	return NULL;
}

static volatile int zero;

static void *divide(void *arg)
{
	return (void *)((int)arg / zero);
}

static void *spin(void *arg)
{
	while (!stop)
		thr_yield(-1);
	return arg;
}

static void *unhandled(void *arg)
{
	(void)arg;
	swexn(NULL, NULL, NULL, NULL);
	*WILD = 1;
	return NULL;
}

static void thread_faults(void)
{
	CHECK(thr_init(STACK) == 0);
	thr_join(thr_create(write_wild, NULL), NULL);
	exit(1);
}

static void thread_divides(void)
{
	CHECK(thr_init(STACK) == 0);
	thr_join(thr_create(divide, (void *)1), NULL);
	exit(1);
}

/* The initial thread faults while another thread runs. */
static void initial_faults(void)
{
	CHECK(thr_init(STACK) == 0);
	stop = 0;
	CHECK(thr_create(spin, NULL) > 0);
	*WILD = 1;
	exit(1);
}

/* Only the thread without a handler dies; the rest go on. */
static void kernel_kills(void)
{
	void *status = NULL;
	CHECK(thr_init(STACK) == 0);
	int tid = thr_create(unhandled, NULL);
	while (thr_yield(tid) == 0)
		continue;
	CHECK(thr_join(thr_create(spin, (void *)8), &status) == 0);
	CHECK(status == (void *)8);
}

static void body(void)
{
	CHECK(status_of(thread_faults) == -2);
	CHECK(status_of(thread_divides) == -2);
	CHECK(status_of(initial_faults) == -2);
	stop = 1;
	test_in_child(kernel_kills);
}

int main(void)
{
	run_modes(body);
	test_done();
}
