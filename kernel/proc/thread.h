/*
 * thread.h: threads and tasks.
 *
 * A task is an address space with its threads; a thread is a kernel stack
 * plus a saved register set. A thread's kernel stack holds, at its top,
 * the trapframe of its user context (saved on every entry to the kernel)
 * and below it whatever kernel frames are live; when the thread is not
 * running, ksp points at the callee-saved registers swtch() pushed.
 *
 * Lock tags (docs/sync.md): [c] constant, [b] boot, [o] owner,
 * [i] interrupts off (this CPU; for a thread's FPU image, the hand-over
 * of proc/fpu.c), [s] sched_lock, [p] proc_lock, [t] task->lock,
 * [a] atomic.
 */
#ifndef PROC_THREAD_H
#define PROC_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/gdt.h"
#include "arch/x86/trap.h"
#include "debug/debug.h"
#include "mm/layout.h"
#include "proc/sched.h"
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

struct cpu;

struct swexn_reg {
	uint32_t esp3, eip, arg;	/* eip == 0: no handler */
};

struct thread {
	/* First, so that a node is its thread: the scheduler's queue
	 * operations convert between them on every switch. */
	struct list_node qlink;		/* [s] in the run queue, a wait queue or
					 * the sleep queue */
	int tid;			/* [c] */
	int task_id;			/* [c] its task's id (0: a kernel thread),
					 * which outlives the task for the trace */
	struct task *task;		/* [o] set at creation; NULL once it leaves
					 * the task (proc_thread_exit) */
	enum thread_state state;	/* [s] */
	uint32_t ksp;			/* [s] saved kernel esp while switched out */
	void *kstack;			/* [c] base of the KSTACK_SIZE stack */
	struct trapframe *tf;		/* [c] user context, at the top of kstack */
	struct waitq *waitq;		/* [s] the wait queue or run-queue level holding it */
	struct runq *rq;		/* [s] the run queue holding it, when runnable */
	uint32_t wake_tick;		/* [s] when TS_SLEEPING */
	bool killed;			/* [s] task_vanish asked it to end; peeked at
					 * without it by the thread itself on its way
					 * to user mode (a later kill: the next time) */
	bool intr;			/* [s] its TS_BLOCKED wait may be cut short */
	enum desched desched;		/* [s] progress through deschedule() */
	int level;			/* [s] run-queue level, 0 the highest (sched.c) */
	int slice;			/* [s] ticks left of its allotment at that level;
					 * peeked at by nopreempt_end (proc/nopreempt.h) */
	int nopreempt;			/* [o] holds a printers' lock: the timer does
					 * not preempt it (proc/nopreempt.h) */
	struct thread *hnext;		/* [s] tid hash chain */
	struct cpu *cpu;		/* [s] the CPU it runs or last ran on (NULL:
					 * none yet); the running thread's is
					 * its own CPU's, read without the lock */
	bool idle;			/* [c] a CPU's idle thread: never queued,
					 * never leaves its CPU */
	struct list_node tlink;		/* [t] in the task's threads */
	struct swexn_reg swexn;		/* [o] registered exception handler */
	bool fpu_used;			/* [i] has FPU state worth restoring */
	uint8_t fpu[FPU_STATE_SIZE] __attribute__((aligned(16)));	/* [i] */
#ifdef FABLE_DEBUG
	struct lockorder_held lockorder;	/* [o] the mutexes it holds (debug/lockorder.c) */
#endif
};

enum task_state { TASK_ALIVE, TASK_ZOMBIE };

struct fdtable;

#define TASK_NAME 32	/* bytes of the program name kept, with the NUL */

struct task {
	int id;				/* [c] tid of the first thread */
	/* name and vm change only in exec, by the task's one thread: its
	 * own threads read them without the lock. */
	char name[TASK_NAME];		/* [t] program last exec'd, for ps */
	struct list_node all;		/* [p] in every task's list, for tasklist */
	struct vm *vm;			/* [t] its address space; NULL once it exits */
	struct mutex lock;		/* the task's own lock */
	struct list threads;		/* [t] live threads, via tlink */
	int nthreads;			/* [t]; exec peeks at it without the
					 * lock first (and checks again under it),
					 * and task_alone() reads it so */
	int status;			/* [t] exit status; final once a zombie */
	enum task_state state;		/* [p] */
	struct task *parent;		/* [p] */
	struct list children;		/* [p] live and zombie children, via sibling */
	struct list_node sibling;	/* [p] in the parent's children */
	int nchildren;			/* [p] live + zombie */
	int nwaiting;			/* [p] threads blocked in wait() */
	struct cond child_exit;		/* [p] signalled when a child becomes a zombie */
	struct fdtable *files;		/* [t] descriptors and current directory
					 * (fs/file.h; the lock guards the table
					 * too while only this task has it); set
					 * before the task runs, NULL once it exits */
};

#define SCHED_LEVELS 4	/* run-queue levels (proc/sched.c) */

/*
 * A run queue, one per CPU (proc/sched.c, docs/scheduling.md, docs/smp.md):
 * one FIFO per level
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

/* A CPU's state (docs/smp.md): cpus[cpu_index()] is the running CPU's
 * (mycpu()). Fields tagged [i] are changed only by that CPU, with
 * interrupts off. */
struct cpu {
	struct runq rq;			/* [s] its runnable threads */
	struct thread *cur;		/* [s] the thread it runs, idle included;
					 * for the other CPUs (its own thread is
					 * curthread(), from its stack) */
	struct thread *idle;		/* [b] runs when nothing else can */
	struct thread *dead;		/* [s] exited thread whose stack to free */
	struct thread *fpu_owner;	/* [i] whose state is in this CPU's FPU
					 * registers: per CPU, as they are */
	uint32_t switches;		/* [i] context switches since boot; read
					 * whole by others for the total */
	uint32_t ipis;			/* [i] reschedule IPIs it sent; likewise */
	uint64_t idle_tsc;		/* [s] TSC cycles its idle thread ran,
					 * up to its last switch away */
	uint64_t idle_from;		/* [s] the TSC when its idle thread last
					 * got the CPU */
	unsigned apic_id;		/* [b] its local APIC's id */
	unsigned index;			/* [b] its cpu_index(): cpus[index] */
	bool started;			/* [a] it runs the scheduler */
} __attribute__((aligned(64)));	/* whole cache lines each: no false
					 * sharing, and mycpu() indexes with a shift */

extern struct cpu cpus[MAX_CPUS];

/* The running CPU's state. Only good while the caller cannot move to
 * another CPU: interrupts off, or a spinlock held. */
static inline struct cpu *mycpu(void)
{
	return &cpus[cpu_index()];
}

static inline struct thread *curthread(void)
{
	return sched_self();
}

static inline struct task *curtask(void)
{
	struct thread *t = sched_self();
	return t ? t->task : NULL;
}

/* The calling thread's task, where a thread of a task runs (a system
 * call's path): without curtask()'s test for no thread. The hot paths
 * (fs/file.c) ask once and pass the answer on, because on SMP each
 * question is a table lookup (sync/waitq.h), not one load. */
static inline struct task *mytask(void)
{
	return sched_self()->task;
}

/*
 * Is the calling thread, of task k (mytask()), its task's only thread?
 * Then nothing that only the task's own threads change - its descriptor
 * table (fs/file.c), its regions (mm/vm.c) - can change under it until
 * it makes another thread itself, so it may read them without their
 * locks. The acquire pairs with the task lock's release by the last
 * other thread to leave (thread_exit_locked): what that one changed is
 * seen.
 */
static inline bool task_alone(const struct task *k)
{
	return __atomic_load_n(&k->nthreads, __ATOMIC_ACQUIRE) == 1;
}

/* The wait-queue operations (sync/waitq.h), O(1). Caller holds
 * sched_lock. */
static inline void waitq_push(struct waitq *q, struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	list_push_back(&q->threads, &t->qlink);
}

/* t must be on q. Caller holds sched_lock. */
static inline void waitq_remove(struct waitq *q, struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	list_remove(&q->threads, &t->qlink);
}

/* The oldest thread on q, or NULL. */
static inline struct thread *waitq_first(const struct waitq *q)
{
	return list_first(&q->threads, struct thread, qlink);
}

/* Take the oldest thread off q; NULL if q is empty. */
static inline struct thread *waitq_pop(struct waitq *q)
{
	return list_entry_or_null(list_pop_front(&q->threads), struct thread, qlink);
}

#endif
