/*
 * thr_sem.c: counting semaphores (docs/abi/userlib.md §4.4) under every
 * misbehave mode. A count of N lets N waits through and blocks the next
 * (asleep in the kernel) until a signal; waiters are served first come,
 * first served; a negative count is refused. Two threads ping-pong a
 * thousand times through a pair of semaphores (a lost wake-up would
 * hang), and producers and consumers share a ring through "slots" and
 * "items" semaphores, every item arriving exactly once.
 */
/* runner: timeout=60 */
#include <mutex.h>
#include <sem.h>
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define STACK   4096
#define UNITS   3
#define QUEUED  3
#define VOLLEYS 1000
#define RING    4
#define SIDES   2	/* producers, and as many consumers */
#define ITEMS   300	/* per producer */

static sem_t sem, ping, pong;
static mutex_t lock;
static int order[QUEUED];	/* [lock] who got past sem_wait, in turn */
static int passed;		/* [lock] */

static void *wait_once(void *arg)
{
	sem_wait(&sem);
	mutex_lock(&lock);
	order[passed++] = (int)arg;
	mutex_unlock(&lock);
	return NULL;
}

/* UNITS waits pass; the next ones sleep and go in arrival order. */
static void counting(void)
{
	int tids[QUEUED];
	CHECK(sem_init(&sem, -1) < 0);
	CHECK(sem_init(&sem, UNITS) == 0);
	for (int i = 0; i < UNITS; i++)
		sem_wait(&sem);
	for (int i = 0; i < QUEUED; i++) {
		tids[i] = thr_create(wait_once, (void *)i);
		until_blocked(tids[i]);
	}
	CHECK(passed == 0);
	for (int i = 0; i < QUEUED; i++) {
		sem_signal(&sem);
		CHECK(thr_join(tids[i], NULL) == 0);
		CHECK(passed == i + 1 && order[i] == i);
	}
	sem_signal(&sem);		/* the count is 1 again: no one waits */
	sem_wait(&sem);
	sem_destroy(&sem);
}

static void *volley(void *arg)
{
	(void)arg;
	for (int i = 0; i < VOLLEYS; i++) {
		sem_wait(&ping);
		sem_signal(&pong);
	}
	return NULL;
}

static void ping_pong(void)
{
	CHECK(sem_init(&ping, 0) == 0 && sem_init(&pong, 0) == 0);
	int tid = thr_create(volley, NULL);
	for (int i = 0; i < VOLLEYS; i++) {
		sem_signal(&ping);
		sem_wait(&pong);
	}
	CHECK(thr_join(tid, NULL) == 0);
	sem_destroy(&ping);
	sem_destroy(&pong);
}

static sem_t slots, items;
static int ring[RING], in, out;		/* [lock] */
static int seen[SIDES * ITEMS];		/* [lock] times each item was taken */

static void *producer(void *arg)
{
	for (int i = 0; i < ITEMS; i++) {
		sem_wait(&slots);
		mutex_lock(&lock);
		ring[in++ % RING] = (int)arg * ITEMS + i;
		mutex_unlock(&lock);
		sem_signal(&items);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITEMS; i++) {
		sem_wait(&items);
		mutex_lock(&lock);
		seen[ring[out++ % RING]]++;
		mutex_unlock(&lock);
		sem_signal(&slots);
	}
	return NULL;
}

static void bounded_buffer(void)
{
	int tids[2 * SIDES];
	CHECK(sem_init(&slots, RING) == 0 && sem_init(&items, 0) == 0);
	for (int i = 0; i < SIDES; i++) {
		tids[i] = thr_create(producer, (void *)i);
		tids[SIDES + i] = thr_create(consumer, NULL);
	}
	for (int i = 0; i < 2 * SIDES; i++)
		CHECK(thr_join(tids[i], NULL) == 0);
	int once = 1;
	for (int i = 0; i < SIDES * ITEMS; i++)
		once &= seen[i] == 1;
	CHECK(once && in == SIDES * ITEMS && out == in);
}

static void body(void)
{
	CHECK(thr_init(STACK) == 0);
	CHECK(mutex_init(&lock) == 0);
	counting();
	ping_pong();
	bounded_buffer();
}

int main(void)
{
	run_modes(body);
	test_done();
}
