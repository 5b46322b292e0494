/*
 * thread.h: threads and tasks.
 *
 * A task is an address space with its threads; a thread is a kernel stack
 * plus a saved register set. A thread's kernel stack holds, at its top,
 * the trapframe of its user context (saved on every entry to the kernel)
 * and below it whatever kernel frames are live; when the thread is not
 * running, ksp points at the callee-saved registers swtch() pushed.
 *
 * Locks (see docs/sync.md for the order):
 *   [s]  sched_lock (proc/sched.h), a spinlock
 *   [p]  proc_lock, the mutex over the task tree (parent/children/exit)
 *   [h]  tid_lock, the spinlock of the tid hash table
 *   [t]  task->lock, the task's own mutex
 *   [c]  constant after creation
 *   [o]  only the thread itself touches it
 *   [f]  the FPU hand-over (proc/fpu.c): changed only with interrupts
 *        off, on this CPU, by the thread itself (by its creator before
 *        it runs) or by the #NM that takes the FPU from it
 */
#ifndef PROC_THREAD_H
#define PROC_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/trap.h"
#include "sync/cond.h"
#include "sync/mutex.h"
#include "sync/waitq.h"

enum thread_state {
	TS_NEW,		/* being built, on no queue */
	TS_RUNNING,	/* on a CPU */
	TS_RUNNABLE,	/* on the run queue */
	TS_BLOCKED,	/* on some wait queue (mutex, cond, input, ...) */
	TS_SLEEPING,	/* on the sleep queue until wake_tick */
	TS_DESCHEDULED,	/* in deschedule(), until make_runnable */
	TS_DEAD,	/* vanished; its stack is freed by the next thread */
};

#define FPU_STATE_SIZE 108	/* fnsave image */

/* Where a thread is in deschedule() (proc/sched.c). */
enum desched { DS_NONE, DS_PENDING, DS_WOKEN };

struct swexn_reg {
	uint32_t esp3, eip, arg;	/* eip == 0: no handler */
};

struct thread {
	int tid;			/* [c] */
	struct task *task;		/* [c] until it exits, then NULL (proc.c) */
	enum thread_state state;	/* [s] */
	uint32_t ksp;			/* [s] saved kernel esp while switched out */
	void *kstack;			/* [c] base of the KSTACK_SIZE stack */
	struct trapframe *tf;		/* [c] user context, at the top of kstack */
	struct thread *qnext, *qprev;	/* [s] links in the run queue or a wait queue */
	struct waitq *waitq;		/* [s] the wait queue or run-queue level holding it */
	uint32_t wake_tick;		/* [s] when TS_SLEEPING */
	bool killed;			/* [s] task_vanish asked it to end */
	bool intr;			/* [s] its TS_BLOCKED wait may be cut short */
	enum desched desched;		/* [s] progress through deschedule() */
	int level;			/* [s] run-queue level, 0 the highest (sched.c) */
	int slice;			/* [s] ticks left of its allotment at that level */
	int nopreempt;			/* [o] holds a printers' lock: the timer does
					 * not preempt it (proc/nopreempt.h) */
	struct thread *hnext;		/* [h] tid hash chain */
	struct thread *tnext, *tprev;	/* [t] the task's thread list */
	struct swexn_reg swexn;		/* [o] registered exception handler */
	bool fpu_used;			/* [f] has FPU state worth restoring */
	uint8_t fpu[FPU_STATE_SIZE] __attribute__((aligned(16)));	/* [f] */
};

enum task_state { TASK_ALIVE, TASK_ZOMBIE };

#define TASK_NAME 32	/* bytes of the program name kept, with the NUL */

struct task {
	int id;				/* [c] tid of the first thread */
	char name[TASK_NAME];		/* [t] program last exec'd, for ps */
	struct task *next_all;		/* [p] every task, for tasklist */
	struct vm *vm;			/* [t] */
	struct mutex lock;		/* the task's own lock */
	struct thread *threads;		/* [t] live threads */
	int nthreads;			/* [t] */
	int status;			/* [t] exit status */
	enum task_state state;		/* [p] */
	struct task *parent;		/* [p] */
	struct task *children;		/* [p] live and zombie children */
	struct task *sibling;		/* [p] next in parent's children */
	int nchildren;			/* [p] live + zombie */
	int nwaiting;			/* [p] threads blocked in wait() */
	struct cond child_exit;		/* signalled when a child becomes a zombie */
	unsigned reserved;		/* [t] frames reserved for this task's
					 * kernel-side needs (page tables) */
};

#define SCHED_LEVELS 4	/* run-queue levels (proc/sched.c) */

/*
 * The run queue (proc/sched.c, docs/scheduling.md): one FIFO per level
 * and a bitmap of the levels that are not empty, so that adding and
 * picking are O(1). watch/since notice a level whose head has waited
 * STARVE_TICKS without running.
 */
struct runq {
	struct waitq level[SCHED_LEVELS];	/* [s] 0 is served first */
	uint32_t ready;				/* [s] bit L: level[L] not empty */
	struct thread *watch[SCHED_LEVELS];	/* [s] head of level L seen since... */
	uint32_t since[SCHED_LEVELS];		/* [s] ...this tick */
};

/* This CPU's state. One CPU today; the fields are per-CPU by design. */
struct cpu {
	struct runq rq;			/* its runnable threads */
	struct thread *cur;		/* running thread (idle included) */
	struct thread *idle;		/* runs when nothing else can */
	struct thread *dead;		/* exited thread whose stack to free */
	struct thread *fpu_owner;	/* [f] whose state is in this CPU's FPU
					 * registers: per CPU, as they are */
	uint32_t switches;		/* context switches since boot */
};

extern struct cpu cpu0;

static inline struct thread *curthread(void)
{
	return cpu0.cur;
}

static inline struct task *curtask(void)
{
	return cpu0.cur ? cpu0.cur->task : NULL;
}

/* The wait-queue operations (sync/waitq.h): a FIFO doubly linked through
 * qnext and qprev. Caller holds sched_lock. */
static inline void waitq_push(struct waitq *q, struct thread *t)
{
	t->qnext = NULL;
	t->qprev = q->tail;
	if (q->tail)
		q->tail->qnext = t;
	else
		q->head = t;
	q->tail = t;
}

/* t must be on q. */
static inline void waitq_remove(struct waitq *q, struct thread *t)
{
	if (t->qprev)
		t->qprev->qnext = t->qnext;
	else
		q->head = t->qnext;
	if (t->qnext)
		t->qnext->qprev = t->qprev;
	else
		q->tail = t->qprev;
	t->qnext = t->qprev = NULL;
}

static inline struct thread *waitq_pop(struct waitq *q)
{
	struct thread *t = q->head;
	if (t)
		waitq_remove(q, t);
	return t;
}

#endif
