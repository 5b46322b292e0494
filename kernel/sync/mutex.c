/*
 * mutex.c: sleeping locks with FIFO hand-off (see mutex.h).
 *
 * `locked` has three values: 0 free, 1 held with nobody waiting, 2 held
 * and maybe waited for. The uncontended paths are one atomic instruction
 * each (xchg-style compare-and-swap 0->1 to lock, 1->0 to unlock). A
 * locker that fails swaps in 2 *under sched_lock*: from then on the
 * holder's fast unlock fails too and it takes sched_lock to hand the mutex
 * over, so a waiter can never be queued behind an unlock that missed it.
 * `owner` names the holder, or nobody: unlock clears it before the lock
 * is free, and a fast-path locker sets it just after its swap.
 */
#include "sync/mutex.h"
#include "sync/waitq.h"
#include "lib/errno.h"
#include "lib/panic.h"
#include "debug/debug.h"

#define FREE 0
#define HELD 1
#define CONTENDED 2

static void hand_over(struct mutex *m);

void mutex_init(struct mutex *m, const char *name)
{
	*m = (struct mutex)MUTEX_INIT(*m, name);
}

void mutex_lock_slow(struct mutex *m)
{
	struct thread *self = sched_self();
	DEBUG_CHECK(lockorder_mutex_acquire(m, __builtin_return_address(0)));
	if (__sync_bool_compare_and_swap(&m->locked, FREE, HELD)) {
		m->owner = self;
		return;
	}
	assert(self && "a mutex is contended before threads exist");
	assert(m->owner != self && "mutex is not recursive");
	uint32_t f = spin_lock(&sched_lock);
	if (xchg(&m->locked, CONTENDED) == FREE)
		m->owner = self;	/* freed meanwhile: ours (unlock goes slow) */
	else
		sched_block(&m->waiters);	/* unlock hands it to us */
	assert(m->owner == self && "a woken mutex waiter owns the mutex");
	spin_unlock(&sched_lock, f);
}

int mutex_lock_intr(struct mutex *m)
{
	struct thread *self = sched_self();
	DEBUG_CHECK(lockorder_mutex_acquire(m, __builtin_return_address(0)));
	if (__sync_bool_compare_and_swap(&m->locked, FREE, HELD)) {
		m->owner = self;
		return 0;
	}
	assert(m->owner != self && "mutex is not recursive");
	uint32_t f = spin_lock(&sched_lock);
	int err = 0;
	if (xchg(&m->locked, CONTENDED) == FREE)
		m->owner = self;
	else if (sched_block_intr(&m->waiters) < 0 && m->owner != self)
		err = -EINTR;	/* killed while waiting: sched_kill dequeued us */
	spin_unlock(&sched_lock, f);
	if (err)	/* not taken after all */
		DEBUG_CHECK(lockorder_mutex_release(m));
	return err;
}

void mutex_unlock_slow(struct mutex *m)
{
	assert(m->locked && m->owner == sched_self() && "only the holder unlocks");
	/* Unnamed before it is free: the next fast-path locker names itself
	 * only after its swap, and until then owner must not name us, or our
	 * next mutex_lock would take itself for a recursive locker (and
	 * mutex_held would say we hold it). */
	m->owner = NULL;
	DEBUG_CHECK(lockorder_mutex_release(m));
	if (!__sync_bool_compare_and_swap(&m->locked, HELD, FREE)) {
		uint32_t f = spin_lock(&sched_lock);	/* someone waited */
		hand_over(m);
		spin_unlock(&sched_lock, f);
	}
	DEBUG_CHECK(debug_preempt());
}

/* To the first waiter, if any. Caller holds sched_lock. */
static void hand_over(struct mutex *m)
{
	ASSERT_HELD(&sched_lock);
	struct thread *next = waitq_empty(&m->waiters) ? NULL : sched_wake_one(&m->waiters);
	m->owner = next;	/* hand-off: stays locked if next != NULL */
	if (!next)
		xchg(&m->locked, FREE);
	else if (waitq_empty(&m->waiters))
		xchg(&m->locked, HELD);	/* the new owner may unlock fast */
}

void mutex_release_locked(struct mutex *m)
{
	DEBUG_CHECK(lockorder_mutex_release(m));
	hand_over(m);
}
