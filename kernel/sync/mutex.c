/*
 * mutex.c: sleeping locks on xchg, with FIFO hand-off (see mutex.h).
 *
 * The invariant that makes it work: `locked` goes from 1 to 0 only in
 * mutex_unlock under sched_lock, and only when nobody waits. A locker
 * that fails its xchg re-tries once under sched_lock before queueing, so
 * an unlock cannot slip between its failed try and its sleep.
 */
#include "sync/mutex.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "lib/panic.h"

void mutex_init(struct mutex *m, const char *name)
{
	*m = (struct mutex)MUTEX_INIT(*m, name);
}

void mutex_lock(struct mutex *m)
{
	struct thread *self = curthread();
	if (xchg(&m->locked, 1) == 0) {
		m->owner = self;
		return;
	}
	assert(self && "a mutex is contended before threads exist");
	assert(m->owner != self && "mutex is not recursive");
	uint32_t f = spin_lock(&sched_lock);
	if (xchg(&m->locked, 1) == 0)
		m->owner = self;
	else
		sched_block(&m->waiters);	/* unlock hands it to us */
	assert(m->owner == self && "a woken mutex waiter owns the mutex");
	spin_unlock(&sched_lock, f);
}

void mutex_unlock(struct mutex *m)
{
	assert(m->locked && m->owner == curthread() && "only the holder unlocks");
	uint32_t f = spin_lock(&sched_lock);
	mutex_release_locked(m);
	spin_unlock(&sched_lock, f);
}

void mutex_release_locked(struct mutex *m)
{
	struct thread *next = sched_wake_one(&m->waiters);
	m->owner = next;	/* hand-off: locked stays 1 if next != NULL */
	if (!next)
		xchg(&m->locked, 0);
}

bool mutex_held(const struct mutex *m)
{
	return m->locked && m->owner == curthread();
}
