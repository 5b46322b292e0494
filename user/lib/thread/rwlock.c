/*
 * rwlock.c: reader/writer locks (rwlock.h) on the guard-and-queue pieces
 * of sync.c.
 *
 * Requests are granted in arrival order. A newcomer takes the lock at
 * once only if nobody is queued and the lock is free for it; otherwise
 * it queues. When the lock changes hands, the head of the queue is
 * granted: a writer alone, or a reader together with every reader right
 * behind it. So a waiting writer holds back readers that arrive after it
 * (no writer starvation), and readers that were waiting before a writer
 * get the lock before it (no reader starvation). Grants are made under
 * the guard; the threads are woken after it is dropped.
 */
#include <rwlock.h>
#include <stddef.h>
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>

int rwlock_init(rwlock_t *rw)
{
	rw->guard = 0;
	rw->readers = 0;
	rw->writer = 0;
	rw->waiters.head = rw->waiters.tail = NULL;
	return 0;
}

/* Destroying a held or waited-on rwlock is a bug: panic. */
void rwlock_destroy(rwlock_t *rw)
{
	sync_guard_lock(&rw->guard);
	int busy = rw->readers || rw->writer || rw->waiters.head;
	sync_guard_unlock(&rw->guard);
	if (busy)
		panic("rwlock_destroy(%p): it is held or waited on", (void *)rw);
}

/* Move the waiters that may now hold the lock from rw's queue to
 * granted, counting them in. Caller holds rw->guard. */
static void grant(rwlock_t *rw, sync_queue_t *granted)
{
	sync_waiter_t *w = rw->waiters.head;
	if (!w || rw->writer)
		return;
	if (w->mode == RWLOCK_WRITE) {
		if (rw->readers == 0) {
			rw->writer = w->tid;
			sync_enqueue(granted, sync_dequeue(&rw->waiters));
		}
		return;
	}
	while ((w = rw->waiters.head) != NULL && w->mode == RWLOCK_READ) {
		rw->readers++;
		sync_enqueue(granted, sync_dequeue(&rw->waiters));
	}
}

/* Can a newcomer asking for mode have the lock at once?
 * Caller holds rw->guard. */
static int free_for(const rwlock_t *rw, int mode)
{
	if (rw->waiters.head || rw->writer)
		return 0;
	return mode == RWLOCK_READ || rw->readers == 0;
}

void rwlock_lock(rwlock_t *rw, int type)
{
	if (type != RWLOCK_READ && type != RWLOCK_WRITE)
		panic("rwlock_lock(%p): invalid type %d", (void *)rw, type);
	sync_waiter_t me = { .tid = gettid(), .mode = type };
	sync_guard_lock(&rw->guard);
	if (free_for(rw, type)) {
		if (type == RWLOCK_WRITE)
			rw->writer = me.tid;
		else
			rw->readers++;
		sync_guard_unlock(&rw->guard);
		return;
	}
	sync_enqueue(&rw->waiters, &me);
	sync_guard_unlock(&rw->guard);
	sync_sleep(&me);	/* grant() counted us in before waking us */
}

/* Release whichever mode the caller holds; panics if it holds none. */
void rwlock_unlock(rwlock_t *rw)
{
	sync_queue_t granted = { NULL, NULL };
	int tid = gettid();
	sync_guard_lock(&rw->guard);
	if (rw->writer == tid)
		rw->writer = 0;
	else if (rw->readers > 0 && rw->writer == 0)
		rw->readers--;
	else {
		sync_guard_unlock(&rw->guard);
		panic("rwlock_unlock(%p): thread %d does not hold it", (void *)rw, tid);
	}
	grant(rw, &granted);
	sync_guard_unlock(&rw->guard);
	sync_wake_all(&granted);
}

/* The caller's write lock becomes a read lock without ever being free;
 * readers waiting at the head of the queue join it at once. */
void rwlock_downgrade(rwlock_t *rw)
{
	sync_queue_t granted = { NULL, NULL };
	int tid = gettid();
	sync_guard_lock(&rw->guard);
	if (rw->writer != tid) {
		sync_guard_unlock(&rw->guard);
		panic("rwlock_downgrade(%p): thread %d does not hold it to write",
		      (void *)rw, tid);
	}
	rw->writer = 0;
	rw->readers = 1;
	grant(rw, &granted);
	sync_guard_unlock(&rw->guard);
	sync_wake_all(&granted);
}
