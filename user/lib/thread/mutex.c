/*
 * mutex.c: mutexes (mutex.h) on the guard-and-queue pieces of sync.c.
 * The owner's tid is the lock. Unlock hands the mutex straight to the
 * oldest waiter (it never becomes free while someone waits), so waiters
 * are served in FIFO order and none can be overtaken. A zeroed mutex_t is
 * a valid free mutex, so malloc's static lock needs no initialisation.
 */
#include <mutex.h>
#include <stddef.h>
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>

int mutex_init(mutex_t *mp)
{
	mp->guard = 0;
	mp->owner = 0;
	mp->waiters.head = mp->waiters.tail = NULL;
	return 0;
}

/* Destroying a mutex that is held or waited on is a bug: panic. */
void mutex_destroy(mutex_t *mp)
{
	sync_guard_lock(&mp->guard);
	int busy = mp->owner || mp->waiters.head;
	sync_guard_unlock(&mp->guard);
	if (busy)
		panic("mutex_destroy(%p): mutex is locked or has waiters", (void *)mp);
}

void mutex_lock(mutex_t *mp)
{
	sync_waiter_t me = { .tid = gettid() };
	sync_guard_lock(&mp->guard);
	if (mp->owner == 0) {
		mp->owner = me.tid;
		sync_guard_unlock(&mp->guard);
		return;
	}
	if (mp->owner == me.tid) {
		sync_guard_unlock(&mp->guard);
		panic("mutex_lock(%p): thread %d already holds it", (void *)mp, me.tid);
	}
	sync_enqueue(&mp->waiters, &me);
	sync_guard_unlock(&mp->guard);
	sync_sleep(&me);	/* unlock made us the owner before waking us */
}

void mutex_unlock(mutex_t *mp)
{
	int tid = gettid();
	sync_guard_lock(&mp->guard);
	if (mp->owner != tid) {
		int owner = mp->owner;
		sync_guard_unlock(&mp->guard);
		panic("mutex_unlock(%p): caller %d does not hold it (owner %d)",
		      (void *)mp, tid, owner);
	}
	sync_waiter_t *next = sync_dequeue(&mp->waiters);
	mp->owner = next ? next->tid : 0;
	sync_guard_unlock(&mp->guard);
	if (next)
		sync_wake(next);
}
