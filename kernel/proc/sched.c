/*
 * sched.c: the scheduler (see sched.h, docs/scheduling.md).
 *
 * Run queues: each CPU has a multi-level feedback queue (cpus[n].rq),
 * all of them under the one sched_lock (docs/smp.md). Each level is a FIFO
 * (a wait queue, linked through thread.qlink), and a bitmap says which
 * levels are not empty, so adding and picking are O(1) (find-first-set).
 * A thread that uses up its allotment at a level sinks one level; a thread
 * woken from a wait rises one; a new thread starts one level below its
 * creator. A level whose head has waited STARVE_TICKS is served once
 * ahead of the higher ones, so no runnable thread waits for ever.
 * Sleep queue: a list through the same link, sorted by wake-up tick, so a
 * tick looks only at its head.
 * Each CPU's idle thread is never queued: sched_switch() falls back to it.
 *
 * Several CPUs: sched_lock is one lock for all of them, held across the
 * switch itself (taken by the thread that switches out, released by the
 * one that switches in), so no CPU can pick a thread whose stack another
 * CPU is still leaving. A thread made runnable goes to an idle CPU's
 * queue, or to that of a CPU running a lower level, which a reschedule IPI
 * wakes (place); else to this CPU's. A CPU whose queue is empty takes
 * work from another's (steal).
 */
#include "proc/sched.h"
#include "proc/proc.h"
#include "proc/thread.h"
#include "proc/fpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/lapic.h"
#include "arch/x86/x86.h"
#include "arch/x86/pit.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "mm/vm.h"
#include "mm/kmalloc.h"
#include "debug/debug.h"
#include "debug/trace.h"
#include "mm/usercopy.h"

/* Save the caller's stack in *old_ksp, resume the thread saved in
 * new_ksp (proc/switch.S); arguments in registers. */
__attribute__((regparm(2))) void swtch(uint32_t *old_ksp, uint32_t new_ksp);

#define BOTTOM (SCHED_LEVELS - 1)
/* A level whose head waited this long is served next (the starvation
 * bound: docs/scheduling.md). */
#define STARVE_TICKS 10

/* Ticks a thread may run at each level before it sinks: short at the top,
 * where threads that block are, and SLICE_TICKS for the spinners below. */
static const int allotment[SCHED_LEVELS] = { 1, 2, SLICE_TICKS, SLICE_TICKS };

struct spinlock sched_lock = SPINLOCK_INIT("sched");

/* Lock tags (docs/sync.md): [a] atomic, [b] boot,
 * [s] sched_lock. */
struct cpu cpus[MAX_CPUS];
struct thread *sched_stack_owner[KERNEL_PAGES];	/* [s] declared in sync/waitq.h */
static unsigned ncpus = 1;		/* [a] CPUs that run the scheduler */
bool sched_cpu_timers;			/* [b] each CPU has its own tick */
static struct list sleepers;		/* [s] sorted by wake_tick, via qlink */
static int misbehave;			/* [a] mode, see sched_set_misbehave */
bool sched_syscall_yields;		/* [a] mode 1 or 3 (sched.h) */
static uint32_t rng = 2463534242u;	/* [s] xorshift state for misbehave */

/* The trace's name for a thread state from TS_RUNNABLE on (debug/trace.h). */
_Static_assert(TS_DEAD - TS_RUNNABLE == TREV_WHY_DEAD - TREV_WHY_RUNNABLE &&
	       TS_SLEEPING - TS_RUNNABLE == TREV_WHY_SLEEPING - TREV_WHY_RUNNABLE,
	       "thread states and TREV_WHY_* in the same order");
static uint32_t trace_why(enum thread_state s)
{
	return s - TS_RUNNABLE + TREV_WHY_RUNNABLE;
}

/* Wrap-safe "tick a is before tick b". */
static bool before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/* ---- the run queue: caller holds sched_lock ---------------------------- */

/* Put t at the back of level l of rq. */
static void rq_push(struct runq *rq, struct thread *t, int l)
{
	ASSERT_HELD(&sched_lock);
	t->state = TS_RUNNABLE;
	t->rq = rq;
	t->waitq = &rq->level[l];
	waitq_push(t->waitq, t);
	rq->ready |= 1u << l;
}

/* Take runnable t off its run queue, wherever it is. */
static void rq_remove(struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	struct runq *rq = t->rq;
	struct waitq *q = t->waitq;
	waitq_remove(q, t);
	if (waitq_empty(q))
		rq->ready &= ~(1u << (q - rq->level));
}

/* Take the head of level l of rq, which is not empty. */
static struct thread *rq_take(struct runq *rq, int l)
{
	ASSERT_HELD(&sched_lock);
	struct thread *t = waitq_pop(&rq->level[l]);
	if (waitq_empty(&rq->level[l]))
		rq->ready &= ~(1u << l);
	return t;
}

/* The highest and the lowest non-empty level; the queue is not empty. */
static int rq_first(const struct runq *rq)
{
	ASSERT_HELD(&sched_lock);
	return __builtin_ctz(rq->ready);
}

static int rq_last(const struct runq *rq)
{
	ASSERT_HELD(&sched_lock);
	return 31 - __builtin_clz(rq->ready);
}

/* This CPU: the one the running thread records it runs on (switch_to
 * sets it as it switches the thread in), so exact at any instruction,
 * and one load where curthread() is known already. A thread runs (not
 * the boot context). */
static inline struct cpu *here(void)
{
	return curthread()->cpu;
}

/* This CPU's run queue. Caller holds sched_lock; a thread runs. */
static inline struct runq *my_rq(void)
{
	return &here()->rq;
}

/* Running thread t stays runnable: to the back of its level, on its CPU. */
static inline __attribute__((always_inline))
void requeue(struct thread *t)
{
	rq_push(&t->cpu->rq, t, t->level);
}

/* Yielding running thread t goes behind every other runnable thread: to
 * the back of the lowest non-empty level, or of its own if that is
 * lower. Its level does not change; only where it waits this time. */
static inline __attribute__((always_inline))
void park(struct thread *t)
{
	struct runq *rq = &t->cpu->rq;
	int l = rq->ready ? rq_last(rq) : 0;
	rq_push(rq, t, l > t->level ? l : t->level);
}

/* More than one CPU runs the scheduler: only then is there another
 * queue to steal from or another CPU to place a thread on. */
static inline bool several(void)
{
	return __atomic_load_n(&ncpus, __ATOMIC_RELAXED) > 1;
}

/* Another CPU's queue with a thread to take, the highest level first
 * (O(CPUs)), or NULL. Caller holds sched_lock. */
static struct runq *victim(void)
{
	unsigned self = cpu_index(), n = __atomic_load_n(&ncpus, __ATOMIC_RELAXED);
	struct runq *best = NULL;
	for (unsigned i = 0; i < n; i++) {
		struct runq *rq = &cpus[i].rq;
		if (i != self && rq->ready && (!best || rq_first(rq) < rq_first(best)))
			best = rq;
	}
	return best;
}

/* t used up its allotment: one level down, and a new allotment there. */
static void sink(struct thread *t)
{
	if (t->level < BOTTOM)
		t->level++;
	t->slice = allotment[t->level];
}

/* Runnable t may run now on some other CPU: an idle one, or else one
 * running a thread of a lower level (a larger number). t goes to its
 * queue, and a reschedule IPI (sched_resched) tells it; true. False if
 * there is none. Caller holds sched_lock. O(CPUs). */
static __attribute__((noinline))
bool place(struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	unsigned self = cpu_index(), n = __atomic_load_n(&ncpus, __ATOMIC_RELAXED);
	int lower = -1;
	for (unsigned i = 0; i < n; i++) {
		struct thread *c = cpus[i].cur;
		if (i == self || !cpus[i].started || !c)
			continue;
		if (c->idle) {
			lower = (int)i;
			break;
		}
		if (c->level > t->level && lower < 0)
			lower = (int)i;
	}
	if (lower < 0)
		return false;
	rq_push(&cpus[lower].rq, t, t->level);
	lapic_ipi(cpus[lower].apic_id, T_RESCHED);
	cpus[self].ipis++;
	return true;
}

void sched_stack_own(void *base, size_t size, struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	for (uintptr_t p = (uintptr_t)base; p < (uintptr_t)base + size; p += PAGE_SIZE)
		sched_stack_owner[p >> PAGE_SHIFT] = t;
}

void sched_inherit(struct thread *t, const struct thread *parent)
{
	ASSERT_HELD(&sched_lock);
	int l = 0;
	if (parent && !parent->idle)
		l = parent->level < BOTTOM ? parent->level + 1 : BOTTOM;
	t->level = l;
	t->slice = allotment[l];
}

/* t was woken from a wait: one level up, and a new allotment there. */
static inline __attribute__((always_inline)) void rise(struct thread *t)
{
	if (trace_on(TRACE_SCHED))
		trace_record(TREV_WAKE, t->tid, t->task_id, trace_why(t->state));
	if (t->level > 0)
		t->level--;
	t->slice = allotment[t->level];
}

void sched_add(struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	assert(t->state != TS_RUNNABLE && t->state != TS_RUNNING &&
	       "only a new or a waiting thread is added");
	if (t->state != TS_NEW)
		rise(t);
	if (!several() || !place(t))
		rq_push(&mycpu()->rq, t, t->level);	/* maybe from the boot context */
}

/* Free the stack of the thread that exited on this CPU just before we
 * ran. Its last act was to switch to us, so nothing uses that stack any
 * more. */
static __attribute__((noinline))
void reap(struct cpu *c)
{
	ASSERT_HELD(&sched_lock);
	struct thread *d = c->dead;
	c->dead = NULL;
	sched_stack_own(d->kstack, KSTACK_SIZE, NULL);
	kstack_free(d->kstack);
	kfree(d);
}

/* After a switch, on CPU c: which need not be the one we left. */
static inline void reap_dead(struct cpu *c)
{
	if (c->dead)
		reap(c);
}

/* Run next in place of prev, the calling thread (curthread(): passed,
 * as every caller has it already and each lookup costs a few
 * instructions). Caller holds sched_lock. */
static void switch_to(struct thread *prev, struct thread *next)
{
	ASSERT_HELD(&sched_lock);
	next->state = TS_RUNNING;
	if (misbehave == 2)	/* one aligned load: [a] */
		next->slice = 1;
	if (next == prev)
		return;
	struct cpu *c = prev->cpu;
	if (prev->idle)		/* the idle thread's share (sched_cpu_stats) */
		c->idle_tsc += rdtsc() - c->idle_from;
	if (next->task)		/* reloads CR3 only if the space changes */
		vm_activate_locked(c->index, next->task->vm);
	if (next->tf)		/* the idle thread never enters user mode */
		tss_set_esp0(c->index, (uint32_t)(next->tf + 1));
	fpu_switch(c, prev, next);
	if (trace_on(TRACE_SCHED))
		trace_record(TREV_SWITCH, next->tid, next->task_id, trace_why(prev->state));
	next->cpu = c;
	c->cur = next;
	c->switches++;
	swtch(&prev->ksp, next->ksp);
	reap_dead(prev->cpu);	/* prev runs again: its switcher set prev->cpu */
}

/* Caller holds sched_lock; cur, the calling thread, is leaving the CPU
 * or may, and cur->state says where it goes. */
static inline __attribute__((always_inline)) void switch_from(struct thread *cur)
{
	ASSERT_HELD(&sched_lock);
	struct runq *rq = &cur->cpu->rq;
	DEBUG_CHECK(check_rq(rq));
	struct thread *next;
	if (!rq->ready && several() && (cur->state != TS_RUNNING || cur->idle))
		rq = victim();	/* ours is empty: take another's work */
	if (rq && rq->ready) {
		next = rq_take(rq, rq_first(rq));
	} else if (cur->state == TS_RUNNING) {
		return;		/* nothing else to run: keep going */
	} else {
		next = cur->cpu->idle;
		cur->cpu->idle_from = rdtsc();	/* here, off the path of other switches */
	}
	switch_to(cur, next);
}

void sched_switch(void)
{
	switch_from(curthread());
}

int sched_yield_to(struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	struct thread *self = curthread();
	if (t->state == TS_RUNNABLE) {	/* so not ourselves */
		rq_remove(t);
		if (!self->idle)
			requeue(self);
		switch_to(self, t);
		return 0;
	}
	if (t->state != TS_RUNNING)
		return -EBUSY;
	/* Ourselves, or a thread running on another CPU (runnable, and
	 * already served): give up the CPU as yield(-1) does. */
	if (!self->idle)
		park(self);
	sched_switch();
	return 0;
}

/*
 * The hand-off (docs/scheduling.md): a thread that wakes another one that
 * will answer it - a pipe's writer, its reader - lets it run now if it
 * is the only thread that would then wait to run here: it would run as
 * soon as the caller blocks, which the caller is about to do. Running it
 * first spares the caller that sleep and its wake-up; waking it and
 * switching to it in one hold of sched_lock spares it the run queue.
 * With any other thread waiting, or more than one woken, it is a plain
 * wake-up: nobody jumps the queue. The caller stays runnable, behind the
 * woken thread, as after yield(tid). On several CPUs the woken thread
 * runs here even if another CPU idles: this one is about to be free, and
 * the answer it writes finds its reader's pages in this CPU's cache.
 */
void sched_hand_off(struct waitq *q)
{
	uint32_t f = spin_lock(&sched_lock);
	struct thread *self = curthread();
	struct thread *t = waitq_first(q);
	if (t && q->threads.head == q->threads.tail && !self->cpu->rq.ready &&
	    !self->idle) {
		waitq_pop(q);
		rise(t);
		requeue(self);
		switch_to(self, t);
	} else {
		sched_wake_all(q);
	}
	spin_unlock(&sched_lock, f);
}

void sched_first_run(void)
{
	reap_dead(here());
	/* The switcher held sched_lock with interrupts off; we release the
	 * lock but leave interrupts off: trap_return's iret restores the
	 * user's eflags (IF set) atomically with the return to ring 3. */
	spin_unlock_irqs_off(&sched_lock);
}

/* t, the calling thread, waits on q. Inline: a pipe's reader and
 * writer come here on every round trip. */
static inline __attribute__((always_inline))
void block(struct thread *t, struct waitq *q, bool intr)
{
	ASSERT_HELD(&sched_lock);
	t->state = TS_BLOCKED;
	t->waitq = q;
	t->intr = intr;
	waitq_push(q, t);
	switch_from(t);
}

/* The trace names the wait queue and the function that waits in it
 * (our caller: a mutex's, a condition's, the input's wait). */
void sched_block(struct waitq *q)
{
	if (trace_on(TRACE_SCHED))
		trace_record(TREV_BLOCK, TREV_WHY_BLOCKED, (uint32_t)q,
			     (uint32_t)__builtin_return_address(0));
	block(curthread(), q, false);
}

int sched_block_intr(struct waitq *q)
{
	struct thread *self = curthread();
	if (self->killed)
		return -EINTR;
	if (trace_on(TRACE_SCHED))
		trace_record(TREV_BLOCK, TREV_WHY_BLOCKED, (uint32_t)q,
			     (uint32_t)__builtin_return_address(0));
	block(self, q, true);
	return self->killed ? -EINTR : 0;
}

/* Take t off whatever queue it waits on and make it runnable. */
static void sched_wake(struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	switch (t->state) {
	case TS_BLOCKED:
		waitq_remove(t->waitq, t);
		break;
	case TS_SLEEPING:
		list_remove(&sleepers, &t->qlink);
		break;
	case TS_DESCHEDULED:
		break;
	default:
		return;		/* running or runnable already */
	}
	sched_add(t);
}

struct thread *sched_wake_one(struct waitq *q)
{
	ASSERT_HELD(&sched_lock);
	struct thread *t = waitq_pop(q);
	if (t)
		sched_add(t);
	return t;
}

void sched_wake_all(struct waitq *q)
{
	while (sched_wake_one(q))
		;
}

/* Only interruptible waits are cut short: a mutex waiter must get its
 * mutex (the hand-off already made it the owner). */
void sched_kill(struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	t->killed = true;
	if (t->state != TS_BLOCKED || t->intr)
		sched_wake(t);
}

int sched_yield_to_tid(int tid)
{
	uint32_t f = spin_lock(&sched_lock);
	struct thread *t = thread_find(tid);
	int ret = -ESRCH;
	if (t)
		ret = sched_yield_to(t);
	spin_unlock(&sched_lock, f);
	return ret;
}

/*
 * deschedule(flag) must not lose a make_runnable that comes after another
 * thread set *flag. Reading *flag may fault (and sleep), so it cannot be
 * done under sched_lock; instead the thread first announces that it is
 * descheduling (desched = DS_PENDING). A make_runnable that arrives from
 * then on is recorded (DS_WOKEN), and the final check before sleeping
 * happens under sched_lock.
 */
int sched_deschedule(uintptr_t flag_uptr)
{
	struct thread *self = curthread();
	uint32_t f = spin_lock(&sched_lock);
	self->desched = DS_PENDING;
	spin_unlock(&sched_lock, f);
	int flag;
	int err = copy_from_user(&flag, flag_uptr, sizeof flag);
	f = spin_lock(&sched_lock);
	if (err == 0 && flag == 0 && self->desched == DS_PENDING && !self->killed) {
		if (trace_on(TRACE_SCHED))
			trace_record(TREV_BLOCK, TREV_WHY_DESCHEDULED, flag_uptr, 0);
		self->state = TS_DESCHEDULED;
		sched_switch();
	}
	self->desched = DS_NONE;
	spin_unlock(&sched_lock, f);
	return err;
}

int sched_make_runnable(int tid)
{
	uint32_t f = spin_lock(&sched_lock);
	struct thread *t = thread_find(tid);
	int ret = -ESRCH;
	if (t && t->state == TS_DESCHEDULED) {
		t->desched = DS_NONE;	/* a second make_runnable before t runs fails */
		sched_add(t);
		ret = 0;
	} else if (t && t->desched == DS_PENDING) {
		t->desched = DS_WOKEN;
		ret = 0;
	}
	spin_unlock(&sched_lock, f);
	return ret;
}

void sched_yield(void)
{
	uint32_t f = spin_lock(&sched_lock);
	struct thread *t = curthread();
	if (!t->idle)
		park(t);
	sched_switch();
	spin_unlock(&sched_lock, f);
}

/* Put t on the sleep queue before the first thread due later, so equal
 * ticks wake in FIFO order. Caller holds sched_lock. */
static void insert_sleeper(struct thread *t)
{
	struct list_node *n = sleepers.head;
	while (n && !before(t->wake_tick, list_entry(n, struct thread, qlink)->wake_tick))
		n = n->next;
	list_insert_before(&sleepers, n, &t->qlink);
}

void sched_sleep_locked(uint32_t ticks)
{
	ASSERT_HELD(&sched_lock);
	struct thread *t = curthread();
	if (!ticks)
		return;
	t->wake_tick = pit_ticks() + ticks;
	if (trace_on(TRACE_SCHED))
		trace_record(TREV_BLOCK, TREV_WHY_SLEEPING, t->wake_tick, 0);
	insert_sleeper(t);
	t->state = TS_SLEEPING;
	sched_switch();
}

void sched_wake_sleeper(struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	if (t->state == TS_SLEEPING)
		sched_wake(t);
}

int sched_sleep(uint32_t ticks)
{
	struct thread *t = curthread();
	uint32_t f = spin_lock(&sched_lock);
	if (!t->killed)
		sched_sleep_locked(ticks);
	int err = t->killed ? -EINTR : 0;
	spin_unlock(&sched_lock, f);
	return err;
}

/*
 * The starvation guard, O(SCHED_LEVELS) once a tick: the lowest level
 * whose head has not changed for STARVE_TICKS (it waited while higher
 * levels ran), or -1. The level found starts a new wait: it is about to
 * be served.
 */
static int starving_level(uint32_t now)
{
	struct runq *rq = my_rq();
	int found = -1;
	for (int l = 1; l < SCHED_LEVELS; l++) {
		struct thread *head = waitq_first(&rq->level[l]);
		if (head != rq->watch[l]) {
			rq->watch[l] = head;
			rq->since[l] = now;
		} else if (head && now - rq->since[l] >= STARVE_TICKS) {
			found = l;
		}
	}
	if (found >= 0)
		rq->since[found] = now;
	return found;
}

/* The current thread has been queued (or is idle): run the head of level
 * l if l >= 0, else the head of the highest level. */
static void run_next(int l)
{
	if (l >= 0)
		switch_to(curthread(), rq_take(my_rq(), l));
	else
		sched_switch();
}

/* cur used up its allotment: it sinks, and the next thread runs. */
static void expire(struct thread *cur, int starved)
{
	sink(cur);
	requeue(cur);
	run_next(starved);
}

void sched_preempt_point(void)
{
	uint32_t f = spin_lock(&sched_lock);
	struct thread *cur = curthread();
	if (!cur->idle && cur->slice <= 0 && !cur->nopreempt)
		expire(cur, -1);
	spin_unlock(&sched_lock, f);
}

/* The running thread's share of a tick: it may lose the CPU to a
 * starving level, a higher level, or the end of its allotment. Caller
 * holds sched_lock. */
static void preempt_tick(uint32_t now)
{
	ASSERT_HELD(&sched_lock);
	struct thread *cur = curthread();
	struct runq *rq = my_rq();
	int starved = starving_level(now);
	if (cur->idle) {
		if (rq->ready || (several() && victim()))
			run_next(starved);
	} else if (cur->nopreempt) {
		cur->slice--;	/* runs on; gives up the CPU at the lock's release */
	} else if (--cur->slice <= 0) {
		expire(cur, starved);
	} else if (starved > cur->level ||
		   (rq->ready && rq_first(rq) < cur->level)) {
		requeue(cur);	/* keeps the rest of its allotment */
		run_next(starved > cur->level ? starved : -1);
	}
}

void sched_tick(struct trapframe *tf)
{
	(void)tf;
	if (!curthread())
		return;		/* before sched_start: the boot context is no thread */
	uint32_t now = pit_ticks();
	uint32_t f = spin_lock(&sched_lock);
	struct thread *t;
	while ((t = list_first(&sleepers, struct thread, qlink)) && !before(now, t->wake_tick)) {
		list_remove(&sleepers, &t->qlink);
		sched_add(t);
	}
	if (!sched_cpu_timers)
		preempt_tick(now);
	spin_unlock(&sched_lock, f);
}

void sched_cpu_tick(void)
{
	if (!curthread())
		return;
	uint32_t f = spin_lock(&sched_lock);
	preempt_tick(pit_ticks());
	spin_unlock(&sched_lock, f);
}

void sched_resched(void)
{
	uint32_t f = spin_lock(&sched_lock);
	struct thread *cur = curthread();
	if (cur && !cur->idle && !cur->nopreempt && my_rq()->ready &&
	    rq_first(my_rq()) < cur->level) {
		requeue(cur);
		sched_switch();
	}
	spin_unlock(&sched_lock, f);
}

/*
 * Misbehave modes (docs/abi/threads.md §7; docs/scheduling.md). Every value is
 * accepted; -1 and 0 are normal scheduling. 1: yield on every return from
 * a system call. 2: one-tick time slices. 3: yield at random on about one
 * system-call return in four. Other values: normal.
 */
void sched_set_misbehave(int mode)
{
	__atomic_store_n(&misbehave, mode, __ATOMIC_RELAXED);
	__atomic_store_n(&sched_syscall_yields, mode == 1 || mode == 3, __ATOMIC_RELAXED);
}

void sched_misbehave_yield(void)
{
	int mode = __atomic_load_n(&misbehave, __ATOMIC_RELAXED);
	bool yield = mode == 1;
	if (mode == 3) {
		uint32_t f = spin_lock(&sched_lock);
		rng ^= rng << 13;
		rng ^= rng >> 17;
		rng ^= rng << 5;
		yield = (rng & 3) == 0;
		spin_unlock(&sched_lock, f);
	}
	if (yield)
		sched_yield();
}

unsigned sched_cpu_stats(struct sched_cpu_stats *st)
{
	uint32_t f = spin_lock(&sched_lock);	/* idle_tsc, idle_from and cur */
	uint64_t now = rdtsc();
	unsigned n = __atomic_load_n(&ncpus, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		struct cpu *c = &cpus[i];
		st[i] = (struct sched_cpu_stats){ 0 };
		if (i >= n)
			continue;
		st[i].switches = __atomic_load_n(&c->switches, __ATOMIC_RELAXED);
		st[i].ipis = __atomic_load_n(&c->ipis, __ATOMIC_RELAXED);
		st[i].idle_tsc = c->idle_tsc;
		/* Another CPU's TSC may run a little behind ours or ahead. */
		if (c->cur && c->cur->idle && now > c->idle_from)
			st[i].idle_tsc += now - c->idle_from;
	}
	spin_unlock(&sched_lock, f);
	return n;
}

/* The first time the CPU has nothing to do, booting is over (the shell
 * waits for a key): log when, at loglevel=3. Under QEMU's -icount
 * shift=0 the TSC counts guest instructions from reset (tools/bench.py,
 * docs/performance.md). */
static void note_first_idle(void)
{
	static bool idled;	/* [a] */
	if (!__atomic_exchange_n(&idled, true, __ATOMIC_RELAXED))
		klog(LOG_DEBUG, "sched: first idle at tsc %llu", rdtsc());
}

/*
 * The latency probe (docs/performance.md): the guest time from the Enter
 * key's interrupt to the next print, which is the answer of the shell (or
 * of the program it ran) to the line. Logged at loglevel=3; under
 * -icount shift=0 the TSC counts guest instructions. Unlocked peeks are
 * hints only: the decisions are made under sched_lock.
 */
static bool enter_pending;	/* [s] an Enter awaits its answer; peeked at
				 * without it by sched_note_output */
static uint32_t enter_tick;	/* [s] */
static uint64_t enter_tsc;	/* [s] */

void sched_note_enter(void)
{
	ASSERT_HELD(&sched_lock);
	enter_pending = true;
	enter_tick = pit_ticks();
	enter_tsc = rdtsc();
}

void sched_note_output(void)
{
	if (!__atomic_load_n(&enter_pending, __ATOMIC_RELAXED))
		return;
	uint64_t tsc = rdtsc();
	uint32_t f = spin_lock(&sched_lock);
	bool pending = enter_pending;
	uint32_t ticks = pit_ticks() - enter_tick;
	uint64_t insns = tsc - enter_tsc;
	enter_pending = false;
	spin_unlock(&sched_lock, f);
	if (pending)
		klog(LOG_DEBUG, "sched: enter answered in %u ticks, %llu tsc", ticks, insns);
}

/* Has any CPU's queue a thread? A peek without sched_lock (the idle
 * loop's: a thread queued just after is announced by an IPI or found
 * at the next tick). */
static bool work_anywhere(void)
{
	unsigned n = __atomic_load_n(&ncpus, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < n; i++)
		if (__atomic_load_n(&cpus[i].rq.ready, __ATOMIC_RELAXED))
			return true;
	return false;
}

void sched_start(struct thread *idle, void *stack, size_t size)
{
	cli();		/* a tick sees no thread, or the whole idle thread */
	struct cpu *c = mycpu();
	c->idle = idle;
	idle->idle = true;
	idle->state = TS_RUNNING;
	idle->cpu = c;
	c->cur = idle;
	uint32_t f = spin_lock(&sched_lock);
	c->idle_from = rdtsc();
	sched_stack_own(stack, size, idle);
	spin_unlock(&sched_lock, f);
	__atomic_store_n(&c->started, true, __ATOMIC_SEQ_CST);
	for (;;) {
		cli();	/* check-then-halt must not miss a wake-up: sti;hlt is atomic */
		if (!work_anywhere()) {
			note_first_idle();
			sti_hlt();
			continue;
		}
		uint32_t f = spin_lock(&sched_lock);
		sched_switch();
		spin_unlock(&sched_lock, f);
		sti();
	}
}

void sched_add_cpu(unsigned index, unsigned apic_id)
{
	cpus[index].apic_id = apic_id;
	cpus[index].index = index;
	if (index + 1 > __atomic_load_n(&ncpus, __ATOMIC_RELAXED))
		__atomic_store_n(&ncpus, index + 1, __ATOMIC_RELAXED);
}
