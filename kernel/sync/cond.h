/*
 * cond.h: condition variables for kernel threads, on top of mutexes.
 * cond_wait atomically releases the mutex and sleeps (both happen under
 * sched_lock, so a signal cannot slip in between), then retakes it.
 */
#ifndef SYNC_COND_H
#define SYNC_COND_H

#include "sync/mutex.h"
#include "sync/waitq.h"

/* Lock tags (docs/sync.md): [s] sched_lock. */
struct cond {
	struct waitq waiters;	/* [s] */
};

#define COND_INIT(c) { WAITQ_INIT((c).waiters) }

void cond_init(struct cond *c);
/* Caller holds m. Returns with m held. */
void cond_wait(struct cond *c, struct mutex *m);
/* As cond_wait, but returns -EINTR early if the thread is being killed
 * (task_vanish); m is held on return either way. */
int cond_wait_intr(struct cond *c, struct mutex *m);
void cond_signal(struct cond *c);
void cond_broadcast(struct cond *c);

/* cond_broadcast, and if that woke one thread and no other waits to run,
 * run it now (sched_hand_off): for a caller about to wait for the woken
 * thread's answer. Caller holds no spinlock, and not the mutex. */
static inline void cond_broadcast_hand_off(struct cond *c)
{
	sched_hand_off(&c->waiters);
}

#endif
