/*
 * waitq.h: a FIFO of threads waiting for something, and the scheduler's
 * operations on it that the sleeping locks (mutex.c, cond.c) are built
 * with.
 *
 * A list (lib/list.h) linked through the threads themselves (thread.qlink),
 * so queueing never allocates and removing from the middle is O(1). Every
 * wait queue is protected by the scheduler lock: whoever adds to or
 * takes from one holds sched_lock, which is what makes "check the
 * condition, then sleep" atomic with respect to the wake-up.
 *
 * The scheduler sits above this layer (proc/sched.c implements the
 * functions below): a thread, its states and the run queue are the
 * process layer's; what a lock needs of them is only to sleep on a
 * queue, to wake from one, and to know who is asking.
 */
#ifndef SYNC_WAITQ_H
#define SYNC_WAITQ_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/list.h"
#include "sync/spinlock.h"

struct thread;

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

extern struct spinlock sched_lock;	/* every wait queue and thread state */

/*
 * Which thread runs on each page of kernel stack, for sched_self(): the
 * scheduler (proc/sched.c) fills in both pages of a thread's stack when
 * the stack is made and clears them when it is freed, and each CPU's
 * idle thread's when the CPU starts scheduling. The calling thread is
 * then the owner of the page its %esp is in: three instructions, no
 * segment register, and exact even if the thread moves to another CPU
 * between any two of them (a per-CPU "current" read in two steps would
 * not be: docs/smp.md). Indexed by kernel page, below 16 MiB.
 */
extern struct thread *sched_stack_owner[];	/* [s]; read without it by the
						 * thread on that stack, whose
						 * entry cannot change under it */

/* The calling thread (NULL while booting, before any thread runs, and
 * on a stack no thread owns: an AP before its idle thread, the
 * double-fault task's). The asm is not volatile: a thread's stack is
 * its own wherever it runs, so the compiler may reuse the answer. It
 * does so only until the next call or store, though (the table is
 * memory), so a hot path that asks across calls asks once and passes
 * the answer on (mytask(), mutex_lock_as(), switch_to()). */
static inline struct thread *sched_self(void)
{
	uintptr_t sp;
	__asm__("movl %%esp, %0" : "=r"(sp));
	return sched_stack_owner[sp >> 12];
}

/* Caller holds sched_lock; these may switch threads, and return with it
 * held. */
void sched_block(struct waitq *q);		/* sleep on q until woken */
int sched_block_intr(struct waitq *q);		/* ... or until killed: -EINTR */
struct thread *sched_wake_one(struct waitq *q);	/* the one it woke, or NULL */
void sched_wake_all(struct waitq *q);

/* Wake q's threads, which will answer the caller; if that is one thread
 * and no other waits to run, run it now (the caller stays runnable).
 * Caller holds no spinlock (this takes sched_lock), and no lock the woken
 * thread needs (proc/sched.c). */
void sched_hand_off(struct waitq *q);

#endif
