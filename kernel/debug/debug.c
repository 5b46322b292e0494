/*
 * debug.c: invariant checks and the panic report's thread (see debug.h).
 */
#include "debug/debug.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "lib/panic.h"
#include "mm/kmap.h"
#include "mm/paging.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "upcall.h"

void invariant_failed(const char *name, const char *expr, const char *file, int line)
{
	panic("invariant violated: %s (%s, %s:%d)", name, expr, file, line);
}

void check_runq(const struct waitq *q)
{
	ASSERT_HELD(&sched_lock);
	/* slow follows at half speed: n meets it again only in a cycle */
	const struct list_node *prev = NULL, *slow = q->threads.head;
	unsigned i = 0;
	for (const struct list_node *n = q->threads.head; n; prev = n, n = n->next, i++) {
		const struct thread *t = list_entry(n, struct thread, qlink);
		INVARIANT(i == 0 || n != slow, "run queue: no cycle");
		INVARIANT(t->state == TS_RUNNABLE, "run queue: only runnable threads");
		/* A thread drops its task pointer before it leaves the task
		 * (proc_thread_exit): a queued thread's task is alive. */
		INVARIANT(!t->task || t->task->state == TASK_ALIVE,
			  "run queue: a queued thread's task is alive");
		INVARIANT(n->prev == prev, "run queue: back links match forward links");
		if (i & 1)
			slow = slow->next;
	}
	INVARIANT(q->threads.tail == prev, "run queue: the tail is the last thread");
}

void check_rq(const struct runq *rq)
{
	ASSERT_HELD(&sched_lock);
	for (int l = 0; l < SCHED_LEVELS; l++) {
		const struct waitq *q = &rq->level[l];
		check_runq(q);
		INVARIANT(!(rq->ready & (1u << l)) == waitq_empty(q),
			  "run queue: the ready bit of a level says it is not empty");
		list_for_each(const struct thread, t, &q->threads, qlink)
			INVARIANT(t->waitq == q && t->level <= l,
				  "run queue: a thread knows its level, and waits at or below it");
	}
	INVARIANT(rq->ready >> SCHED_LEVELS == 0, "run queue: no ready bit past the levels");
}

void check_spin_not_mine(const struct spinlock *l)
{
	INVARIANT(!l->locked || l->cpu != (int)cpu_index(),
		  "lock ownership: a spinlock is not taken twice by one CPU");
}

void check_spin_held(const struct spinlock *l)
{
	INVARIANT(l->locked, "lock ownership: the caller holds the spinlock");
#ifdef FABLE_DEBUG	/* only a debug kernel records the holder (spinlock.h) */
	INVARIANT(l->cpu == (int)cpu_index(), "lock ownership: the caller holds the spinlock");
#endif
	INVARIANT(!(read_eflags() & EFLAGS_IF), "lock ownership: spinlock held with interrupts off");
}

void check_mutex_held(const struct mutex *m)
{
	INVARIANT(mutex_held(m), "lock ownership: the caller holds the mutex");
}

void check_user_return(void)
{
	struct thread *t = curthread();
	struct task *k = t->task;
	unsigned tasks, threads;
	/* Another CPU may hold it; this one must not (asked with
	 * interrupts off, so that "this one" stays the same). */
	uint32_t f = read_eflags();
	cli();
	bool mine = sched_lock.locked && sched_lock.cpu == (int)cpu_index();
	write_eflags(f);
	INVARIANT(!mine, "lock ownership: no spinlock held on return to user mode");
	INVARIANT(!mutex_held(&proc_lock), "lock ownership: proc_lock released before user mode");
	INVARIANT(!mutex_held(&k->lock), "lock ownership: task lock released before user mode");
	proc_counts(&tasks, &threads);
	INVARIANT(tasks >= 1 && tasks < 0x80000000u, "counts: tasks never negative");
	INVARIANT(threads >= 1 && threads < 0x80000000u, "counts: threads never negative");
	INVARIANT(k->nthreads >= 1, "counts: a running task counts its threads");
	INVARIANT(k->nchildren >= 0 && k->nwaiting >= 0, "counts: children and waiters never negative");
}

void check_user_line(const uint32_t *pd)
{
	/* The CPU sets the accessed bit in whichever directory it walks, so
	 * a copy and kernel_pd may differ in that bit alone. */
	for (unsigned d = 0; d < KERNEL_PDES; d++)
		INVARIANT(!((pd[d] ^ kernel_pd[d]) & ~PTE_A),
			  "user line: address spaces share the kernel's tables");
	for (uintptr_t va = 0; va < USER_MEM_START; va += PAGE_SIZE)
		INVARIANT(!(*kernel_pte(va) & PTE_U), "user line: no user page below USER_MEM_START");
	for (unsigned d = 0; d < KERNEL_PDES; d++)
		INVARIANT(!(kernel_pd[d] & PTE_U), "user line: kernel directory entries are supervisor");
}

void check_table_empty(uint32_t pa)
{
	uint32_t flags = kmap_begin();
	const uint32_t *t = kmap(KM_PT, pa);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		INVARIANT(t[i] == 0, "page tables: a table no region touches is empty");
	kmap_end(flags);
}

/* Panic context (upcall.h): which thread ran, and how it last came from
 * user mode. */
void debug_panic_context(void (*out)(const char *fmt, ...))
{
	struct thread *t = curthread();
	if (!t)
		return;
	const struct trapframe *tf = t->tf ? tf_user_frame(t->tf) : NULL;
	if (!t->task || !tf || !tf_from_user(tf)) {
		out(" running: kernel thread %d\n", t->tid);
		return;
	}
	out(" running: thread %d of task %d; its last entry from user mode (vector %#x):\n",
	    t->tid, t->task->id, tf->cause);
	trapframe_print(tf, out);
}

void debug_preempt(void)
{
	struct thread *t = curthread();
	if (!t || t->idle || t->nopreempt || !(read_eflags() & EFLAGS_IF))
		return;
	if (((uint32_t)rdtsc() >> 4) % 4 == 0)
		sched_yield();
}
