/*
 * mutex.h: the kernel's sleeping lock, built on xchg.
 *
 * Taking and releasing an uncontended mutex is one atomic instruction. A thread that finds it taken sleeps on
 * the mutex's wait queue, and unlock hands the mutex straight to the first
 * waiter (FIFO, no barging, no thundering herd). So a mutex may be held
 * across anything that blocks: copying from user memory, allocating,
 * waiting on a condition. Never take one in interrupt context.
 *
 * The lock order is written down once, in docs/sync.md.
 */
#ifndef SYNC_MUTEX_H
#define SYNC_MUTEX_H

#include <stdbool.h>
#include <stdint.h>
#include "sync/waitq.h"

struct thread;

/* Lock tags (docs/sync.md): [c] constant, [a] atomic, [s] sched_lock. */
struct mutex {
	volatile uint32_t locked;	/* [a] 0 free, 1 held, 2 held and contended */
	struct thread *owner;		/* [a] the holder, for asserts; NULL
					 * while free (and just after a fast lock).
					 * Set by the thread that takes or hands
					 * over the mutex; a reader only compares
					 * it with itself (mutex_held) */
	struct waitq waiters;		/* [s] FIFO */
	const char *name;		/* [c] */
};

#define MUTEX_INIT(m, n) { 0, NULL, WAITQ_INIT((m).waiters), n }

void mutex_init(struct mutex *m, const char *name);
/* The whole of mutex_lock and mutex_unlock (mutex.c); the functions
 * below inline only their uncontended paths. */
void mutex_lock_slow(struct mutex *m);
void mutex_unlock_slow(struct mutex *m);

/*
 * Inline, because every system call that touches a file, a pipe or an
 * address space takes and releases a mutex, and the calls to them cost
 * more than their one atomic instruction (docs/performance.md). A debug
 * kernel, which checks the lock order and the holder, always calls out.
 * The _as forms are for a hot path that takes and releases a mutex with
 * calls between (a pipe's read and write): self is the calling thread,
 * sched_self(), asked once, as the compiler would ask it again after each
 * call (a lookup of a few instructions on SMP: waitq.h).
 */
static inline void mutex_lock_as(struct mutex *m, struct thread *self)
{
#ifndef FABLE_DEBUG
	if (__sync_bool_compare_and_swap(&m->locked, 0, 1)) {
		m->owner = self;	/* after the swap, as mutex_lock_slow */
		return;
	}
#endif
	(void)self;
	mutex_lock_slow(m);
}

static inline void mutex_unlock_as(struct mutex *m, struct thread *self)
{
#ifndef FABLE_DEBUG
	/* The holder, with nobody waiting: unnamed, then free (mutex.c). */
	if (m->locked == 1 && m->owner == self) {
		m->owner = NULL;
		if (__sync_bool_compare_and_swap(&m->locked, 1, 0))
			return;
		m->owner = self;	/* a waiter came: the slow path */
	}
#endif
	(void)self;
	mutex_unlock_slow(m);
}

static inline void mutex_lock(struct mutex *m)
{
	mutex_lock_as(m, sched_self());
}

static inline void mutex_unlock(struct mutex *m)
{
	mutex_unlock_as(m, sched_self());
}

/* mutex_lock that gives up when task_vanish kills the waiting thread:
 * 0 (m is held), or -EINTR (m is not). A thread killed just as m was
 * handed to it gets 0 and must release m. */
int mutex_lock_intr(struct mutex *m);
/* Release m (to its first waiter, if any). Caller holds sched_lock;
 * used by cond_wait to release and sleep in one step. */
void mutex_release_locked(struct mutex *m);
/* True if the calling thread holds m (for assertions). */
static inline bool mutex_held(const struct mutex *m)
{
	return m->locked && m->owner == sched_self();
}

#endif
