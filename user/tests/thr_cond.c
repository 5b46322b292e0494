/*
 * thr_cond.c: condition variables (docs/abi/userlib.md §4.3) under every
 * misbehave mode. Producers and consumers share a small ring through two
 * condition variables, signalling after they let go of the mutex: every
 * item arrives exactly once. cond_signal wakes the longest waiter and is
 * forgotten when nobody waits; cond_broadcast wakes exactly the threads
 * waiting at the time, not a thread that starts waiting after it.
 */
/* runner: timeout=60 */
#include <cond.h>
#include <mutex.h>
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define STACK     4096
#define RING      4
#define PRODUCERS 3
#define CONSUMERS 3
#define ITEMS     300	/* per producer */
#define WAITERS   4

static mutex_t lock;
static cond_t nonempty, nonfull;
static int ring[RING];			/* [lock] */
static int head, count;			/* [lock] */
static int seen[PRODUCERS * ITEMS];	/* [lock] times each item was taken */
static int taken;			/* [lock] items taken so far */

static void put(int item)
{
	mutex_lock(&lock);
	while (count == RING)
		cond_wait(&nonfull, &lock);
	ring[(head + count++) % RING] = item;
	mutex_unlock(&lock);
	cond_signal(&nonempty);		/* without the mutex: allowed */
}

/* Take one item; -1 once every item has been taken. */
static int get(void)
{
	mutex_lock(&lock);
	while (count == 0 && taken < PRODUCERS * ITEMS)
		cond_wait(&nonempty, &lock);
	int item = -1;
	if (count > 0) {
		item = ring[head];
		head = (head + 1) % RING, count--, taken++;
		seen[item]++;
	}
	int done = taken == PRODUCERS * ITEMS;
	mutex_unlock(&lock);
	if (done)
		cond_broadcast(&nonempty);	/* let the other consumers out */
	cond_signal(&nonfull);
	return item;
}

static void *producer(void *arg)
{
	for (int i = 0; i < ITEMS; i++)
		put((int)arg * ITEMS + i);
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	while (get() >= 0)
		continue;
	return NULL;
}

static void produce_consume(void)
{
	int tids[PRODUCERS + CONSUMERS];
	for (int i = 0; i < PRODUCERS; i++)
		tids[i] = thr_create(producer, (void *)i);
	for (int i = 0; i < CONSUMERS; i++)
		tids[PRODUCERS + i] = thr_create(consumer, NULL);
	for (int i = 0; i < PRODUCERS + CONSUMERS; i++)
		CHECK(thr_join(tids[i], NULL) == 0);
	int once = 1;
	for (int i = 0; i < PRODUCERS * ITEMS; i++)
		once &= seen[i] == 1;
	CHECK(once);
	CHECK(count == 0 && taken == PRODUCERS * ITEMS);
}

static cond_t cv;
static int woken[WAITERS + 1];		/* [lock] which waiters returned */

static void *wait_once(void *arg)
{
	mutex_lock(&lock);
	cond_wait(&cv, &lock);
	woken[(int)arg] = 1;
	mutex_unlock(&lock);
	return NULL;
}

/* A waiter, asleep in cond_wait once this returns. */
static int waiter(int i)
{
	int tid = thr_create(wait_once, (void *)i);
	until_blocked(tid);
	return tid;
}

static int nwoken(void)
{
	int n = 0;
	for (int i = 0; i <= WAITERS; i++)
		n += woken[i];
	return n;
}

/* Signal: the longest waiter only; with nobody waiting, nothing. */
static void signal_order(void)
{
	cond_signal(&cv);			/* forgotten */
	int a = waiter(0), b = waiter(1);
	CHECK(nwoken() == 0);
	cond_signal(&cv);
	CHECK(thr_join(a, NULL) == 0);
	until_blocked(b);
	CHECK(woken[0] == 1 && woken[1] == 0);
	cond_signal(&cv);
	CHECK(thr_join(b, NULL) == 0);
	CHECK(woken[1] == 1);
}

/* Broadcast: those waiting now, not a later waiter. */
static void broadcast_now(void)
{
	int tids[WAITERS + 1];
	for (int i = 0; i <= WAITERS; i++)
		woken[i] = 0;
	for (int i = 0; i < WAITERS; i++)
		tids[i] = waiter(i);
	cond_broadcast(&cv);
	tids[WAITERS] = waiter(WAITERS);
	for (int i = 0; i < WAITERS; i++)
		CHECK(thr_join(tids[i], NULL) == 0);
	until_blocked(tids[WAITERS]);
	CHECK(nwoken() == WAITERS && !woken[WAITERS]);
	cond_signal(&cv);
	CHECK(thr_join(tids[WAITERS], NULL) == 0);
	CHECK(woken[WAITERS]);
}

static void body(void)
{
	CHECK(thr_init(STACK) == 0);
	CHECK(mutex_init(&lock) == 0 && cond_init(&cv) == 0);
	CHECK(cond_init(&nonempty) == 0 && cond_init(&nonfull) == 0);
	produce_consume();
	signal_order();
	broadcast_now();
	cond_destroy(&cv);
	cond_destroy(&nonempty);
	cond_destroy(&nonfull);
	mutex_destroy(&lock);
}

int main(void)
{
	run_modes(body);
	test_done();
}
