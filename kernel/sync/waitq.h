/*
 * waitq.h: a FIFO of threads waiting for something.
 *
 * A list (lib/list.h) linked through the threads themselves (thread.qlink),
 * so queueing never allocates and removing from the middle is O(1). Every
 * wait queue is protected by the scheduler lock
 * (proc/sched.h): whoever adds to or takes from one holds sched_lock,
 * which is what makes "check the condition, then sleep" atomic with
 * respect to the wake-up.
 */
#ifndef SYNC_WAITQ_H
#define SYNC_WAITQ_H

#include <stdbool.h>
#include "lib/list.h"

/* Lock tags (docs/sync.md): [s] sched_lock. */
struct waitq {
	struct list threads;	/* [s] oldest first */
};

#define WAITQ_INIT(q) { LIST_INIT }

static inline bool waitq_empty(const struct waitq *q)
{
	return list_empty(&q->threads);
}

/*
 * waitq_push(q, t), waitq_first(q), waitq_pop(q) and waitq_remove(q, t)
 * (t must be on q) are inline functions in proc/thread.h: they need
 * struct thread, and every switch of the scheduler goes through them
 * (docs/performance.md).
 * Caller holds sched_lock.
 */

#endif
