/*
 * thr_rwlock.c: reader/writer locks (docs/abi/userlib.md §4.5) under every
 * misbehave mode. While a writer waits, a new reader waits too (no
 * writer starvation); when a writer lets go, the readers that queued
 * before the next writer go first, together (no reader starvation);
 * downgrade keeps the lock and lets the waiting readers in at once but
 * not the writer behind them. Then readers and writers hammer one lock
 * and never overlap wrongly.
 */
/* runner: timeout=60 */
#include <mutex.h>
#include <rwlock.h>
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define STACK   4096
#define NREQ    5
#define READERS 4
#define WRITERS 2
#define ROUNDS  300

static rwlock_t rw;
static mutex_t lock;

/* One thread's request for rw. */
struct req {
	int mode;		/* RWLOCK_READ or RWLOCK_WRITE */
	volatile int hold;	/* keep the lock while set */
	volatile int got;	/* it has the lock */
	int tid;
};

static struct req reqs[NREQ];
static int order[NREQ];		/* [lock] which requests got rw, in turn */
static int norder;		/* [lock] */

static void *locker(void *arg)
{
	struct req *r = arg;
	rwlock_lock(&rw, r->mode);
	r->got = 1;
	mutex_lock(&lock);
	order[norder++] = r - reqs;
	mutex_unlock(&lock);
	while (r->hold)
		thr_yield(-1);
	rwlock_unlock(&rw);
	return NULL;
}

/* Request i, which must queue: returns once it sleeps in rwlock_lock. */
static void queue(int i, int mode, int hold)
{
	reqs[i] = (struct req){ .mode = mode, .hold = hold };
	reqs[i].tid = thr_create(locker, &reqs[i]);
	until_blocked(reqs[i].tid);
	CHECK(!reqs[i].got);
}

static void join_all(int n)
{
	for (int i = 0; i < n; i++)
		CHECK(thr_join(reqs[i].tid, NULL) == 0);
	norder = 0;
}

/* Readers hold it, a writer waits: a new reader must wait too. */
static void writer_first(void)
{
	rwlock_lock(&rw, RWLOCK_READ);
	queue(0, RWLOCK_WRITE, 0);
	queue(1, RWLOCK_READ, 0);
	rwlock_unlock(&rw);
	join_all(2);
	CHECK(order[0] == 0 && order[1] == 1);
}

/* Queue W R R W R behind a writer: granted in that order, the two
 * readers together. */
static void arrival_order(void)
{
	static const int modes[NREQ] = { RWLOCK_WRITE, RWLOCK_READ, RWLOCK_READ,
					  RWLOCK_WRITE, RWLOCK_READ };
	rwlock_lock(&rw, RWLOCK_WRITE);
	for (int i = 0; i < NREQ; i++)
		queue(i, modes[i], 0);
	rwlock_unlock(&rw);
	join_all(NREQ);
	CHECK(order[0] == 0 && order[3] == 3 && order[4] == 4);
	CHECK(order[1] + order[2] == 3);
}

/* Downgrade: the waiting reader joins us at once, the writer behind it
 * and the reader behind that do not. */
static void downgrade(void)
{
	rwlock_lock(&rw, RWLOCK_WRITE);
	queue(0, RWLOCK_READ, 1);
	queue(1, RWLOCK_WRITE, 0);
	queue(2, RWLOCK_READ, 0);
	rwlock_downgrade(&rw);
	while (!reqs[0].got)
		thr_yield(reqs[0].tid);
	until_blocked(reqs[1].tid);
	CHECK(!reqs[1].got && !reqs[2].got);
	rwlock_unlock(&rw);
	reqs[0].hold = 0;
	join_all(3);
	CHECK(order[0] == 0 && order[1] == 1 && order[2] == 2);
}

/* With no one waiting, a reader gets in beside a downgraded writer. */
static void downgrade_alone(void)
{
	rwlock_lock(&rw, RWLOCK_WRITE);
	rwlock_downgrade(&rw);
	reqs[0] = (struct req){ .mode = RWLOCK_READ };
	CHECK(thr_join(thr_create(locker, &reqs[0]), NULL) == 0);
	CHECK(reqs[0].got);
	rwlock_unlock(&rw);
	norder = 0;
}

static int readers_in, writers_in;	/* [lock] threads inside rw */

/* Come into rw's critical section as mode: nobody may be there who
 * should not be. */
static void enter(int mode)
{
	mutex_lock(&lock);
	CHECK(writers_in == 0);
	if (mode == RWLOCK_WRITE)
		CHECK(readers_in == 0);
	*(mode == RWLOCK_WRITE ? &writers_in : &readers_in) += 1;
	mutex_unlock(&lock);
}

static void leave(int mode)
{
	mutex_lock(&lock);
	*(mode == RWLOCK_WRITE ? &writers_in : &readers_in) -= 1;
	mutex_unlock(&lock);
}

static void *hammer(void *arg)
{
	int mode = (int)arg;
	for (int i = 0; i < ROUNDS; i++) {
		rwlock_lock(&rw, mode);
		enter(mode);
		if (i % 5 == 0)
			thr_yield(-1);
		leave(mode);
		rwlock_unlock(&rw);
	}
	return NULL;
}

static void mixed(void)
{
	int tids[READERS + WRITERS];
	for (int i = 0; i < READERS + WRITERS; i++)
		tids[i] = thr_create(hammer, (void *)(i < READERS ? RWLOCK_READ : RWLOCK_WRITE));
	for (int i = 0; i < READERS + WRITERS; i++)
		CHECK(thr_join(tids[i], NULL) == 0);
	CHECK(readers_in == 0 && writers_in == 0);
}

static void body(void)
{
	CHECK(thr_init(STACK) == 0);
	CHECK(rwlock_init(&rw) == 0 && mutex_init(&lock) == 0);
	writer_first();
	arrival_order();
	downgrade();
	downgrade_alone();
	mixed();
	rwlock_destroy(&rw);
}

int main(void)
{
	run_modes(body);
	test_done();
}
