/*
 * thr_mutex.c: mutexes (docs/abi/userlib.md §4.2) under every misbehave mode.
 * 8 threads add to one counter under a mutex, reading and writing it
 * non-atomically with a yield in between, and the total is exact with
 * never two threads inside. A thread waiting for a mutex sleeps in the
 * kernel (yield to it fails), and waiters get the mutex in the order
 * they came. No leaks.
 */
#include <mutex.h>
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define STACK   4096
#define THREADS 8
#define ROUNDS  500
#define QUEUED  3

static mutex_t lock;
static int counter;		/* [lock] */
static int inside;		/* [lock] threads in the critical section */

static void *add(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		mutex_lock(&lock);
		CHECK(++inside == 1);
		int seen = counter;
		if (i % 7 == 0)
			thr_yield(-1);	/* let the others pile up */
		counter = seen + 1;
		inside--;
		mutex_unlock(&lock);
	}
	return NULL;
}

static void counting(void)
{
	int tids[THREADS];
	counter = 0;
	CHECK(mutex_init(&lock) == 0);
	for (int i = 0; i < THREADS; i++)
		CHECK((tids[i] = thr_create(add, NULL)) > 0);
	for (int i = 0; i < THREADS; i++)
		CHECK(thr_join(tids[i], NULL) == 0);
	CHECK(counter == THREADS * ROUNDS);
	mutex_destroy(&lock);
}

static int order[QUEUED];	/* [lock] who got the mutex, in turn */
static int served;		/* [lock] */

static void *take_in_turn(void *arg)
{
	mutex_lock(&lock);
	order[served++] = (int)arg;
	mutex_unlock(&lock);
	return NULL;
}

/* Waiters sleep (until_blocked ends) and are served first come,
 * first served. */
static void fifo(void)
{
	int tids[QUEUED];
	served = 0;
	mutex_init(&lock);
	mutex_lock(&lock);
	for (int i = 0; i < QUEUED; i++) {
		tids[i] = thr_create(take_in_turn, (void *)i);
		until_blocked(tids[i]);
	}
	CHECK(served == 0);
	mutex_unlock(&lock);
	for (int i = 0; i < QUEUED; i++)
		CHECK(thr_join(tids[i], NULL) == 0);
	for (int i = 0; i < QUEUED; i++)
		CHECK(order[i] == i);
	mutex_destroy(&lock);
}

static void body(void)
{
	CHECK(thr_init(STACK) == 0);
	counting();
	fifo();
}

int main(void)
{
	run_modes(body);
	test_done();
}
