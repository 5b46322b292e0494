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

/* Where a thread is in deschedule() (syscall/sys_proc.c). */
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
	struct waitq *waitq;		/* [s] queue it is blocked on, if any */
	uint32_t wake_tick;		/* [s] when TS_SLEEPING */
	bool killed;			/* [s] task_vanish asked it to end */
	bool intr;			/* [s] its TS_BLOCKED wait may be cut short */
	enum desched desched;		/* [s] progress through deschedule() */
	int slice;			/* [s] ticks left in its time slice */
	int nopreempt;			/* [o] holds a printers' lock: the timer does
					 * not preempt it (sync/nopreempt.h) */
	struct thread *hnext;		/* [h] tid hash chain */
	struct thread *tnext, *tprev;	/* [t] the task's thread list */
	struct swexn_reg swexn;		/* [o] registered exception handler */
	bool fpu_used;			/* [o] has FPU state worth restoring */
	uint8_t fpu[FPU_STATE_SIZE] __attribute__((aligned(16)));	/* [o] */
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

/* This CPU's state. One CPU today; the fields are per-CPU by design. */
struct cpu {
	struct thread *cur;		/* running thread (idle included) */
	struct thread *idle;		/* runs when nothing else can */
	struct thread *dead;		/* exited thread whose stack to free */
	struct thread *fpu_owner;	/* whose state is in the FPU registers */
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

#endif
