/*
 * cond.c: condition variables (see cond.h).
 */
#include "sync/cond.h"
#include "sync/waitq.h"
#include "lib/errno.h"
#include "lib/panic.h"

void cond_init(struct cond *c)
{
	*c = (struct cond)COND_INIT(*c);
}

/* Release m and sleep on c, atomically with respect to cond_signal: both
 * the queueing and the release happen under sched_lock. A thread already
 * killed does not sleep (sched_block_intr says -EINTR at once), and gets
 * m back like any other. */
static int wait(struct cond *c, struct mutex *m, bool intr)
{
	struct thread *self = sched_self();	/* once: mutex.h */
	assert(m->locked && m->owner == self && "cond_wait caller holds the mutex");
	uint32_t f = spin_lock(&sched_lock);
	mutex_release_locked(m);
	int err = 0;
	if (intr)
		err = sched_block_intr(&c->waiters);
	else
		sched_block(&c->waiters);
	spin_unlock(&sched_lock, f);
	mutex_lock_as(m, self);
	return err;
}

void cond_wait(struct cond *c, struct mutex *m)
{
	wait(c, m, false);
}

int cond_wait_intr(struct cond *c, struct mutex *m)
{
	return wait(c, m, true);
}

void cond_signal(struct cond *c)
{
	uint32_t f = spin_lock(&sched_lock);
	sched_wake_one(&c->waiters);
	spin_unlock(&sched_lock, f);
}

void cond_broadcast(struct cond *c)
{
	uint32_t f = spin_lock(&sched_lock);
	sched_wake_all(&c->waiters);
	spin_unlock(&sched_lock, f);
}
