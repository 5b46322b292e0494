/*
 * cond.c: condition variables (cond.h) on the guard-and-queue pieces of
 * sync.c. A waiter is queued before it lets go of the mutex, so a signal
 * sent at any moment after that finds it: no lost wake-up, and since a
 * waiter leaves the queue only when a signal or broadcast takes it out,
 * no spurious or stale wake-up either. Signal and broadcast touch only
 * the condition's own guard, so callers need not hold the mutex.
 */
#include <cond.h>
#include <stddef.h>
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>

int cond_init(cond_t *cv)
{
	cv->guard = 0;
	cv->waiters.head = cv->waiters.tail = NULL;
	return 0;
}

/* Destroying a condition variable that has waiters is a bug: panic. */
void cond_destroy(cond_t *cv)
{
	sync_guard_lock(&cv->guard);
	int busy = cv->waiters.head != NULL;
	sync_guard_unlock(&cv->guard);
	if (busy)
		panic("cond_destroy(%p): threads are waiting on it", (void *)cv);
}

/* Caller holds mp; holds it again on return. */
void cond_wait(cond_t *cv, mutex_t *mp)
{
	sync_waiter_t me = { .tid = gettid() };
	sync_guard_lock(&cv->guard);
	sync_enqueue(&cv->waiters, &me);
	sync_guard_unlock(&cv->guard);
	mutex_unlock(mp);
	sync_sleep(&me);
	mutex_lock(mp);
}

/* Wake the longest waiter, if any. */
void cond_signal(cond_t *cv)
{
	sync_guard_lock(&cv->guard);
	sync_waiter_t *w = sync_dequeue(&cv->waiters);
	sync_guard_unlock(&cv->guard);
	if (w)
		sync_wake(w);
}

/* Wake exactly the threads waiting now: the queue is detached whole,
 * so a thread that starts waiting later joins an empty one. */
void cond_broadcast(cond_t *cv)
{
	sync_guard_lock(&cv->guard);
	sync_queue_t now = cv->waiters;
	cv->waiters.head = cv->waiters.tail = NULL;
	sync_guard_unlock(&cv->guard);
	sync_wake_all(&now);
}
