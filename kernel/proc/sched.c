/*
 * sched.c: the scheduler (see sched.h).
 *
 * Run queue: a FIFO linked through thread.qnext - O(1) add and pick.
 * Sleep queue: sorted by wake-up tick, so a tick looks only at its head.
 * The idle thread is never queued: sched_switch() falls back to it.
 */
#include "proc/sched.h"
#include "proc/thread.h"
#include "proc/fpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/pit.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "mm/vm.h"
#include "mm/kmalloc.h"
#include "test/debug.h"

void swtch(uint32_t *old_ksp, uint32_t new_ksp);

struct spinlock sched_lock = SPINLOCK_INIT("sched");
struct cpu cpu0;

static struct waitq runq;		/* [s] */
static struct thread *sleepers;		/* [s] sorted by wake_tick */
static int misbehave;			/* [s] mode, see sched_set_misbehave */
static uint32_t rng = 2463534242u;	/* [s] xorshift state for misbehave */

/* Wrap-safe "tick a is before tick b". */
static bool before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

void sched_add(struct thread *t)
{
	assert(t->state != TS_RUNNABLE && "a thread is queued at most once");
	t->state = TS_RUNNABLE;
	t->waitq = NULL;
	waitq_push(&runq, t);
}

/* Free the stack of the thread that exited just before we ran. Its last
 * act was to switch to us, so nothing uses that stack any more. */
static void reap_dead(void)
{
	struct thread *d = cpu0.dead;
	if (d) {
		cpu0.dead = NULL;
		kstack_free(d->kstack);
		kfree(d);
	}
}

/* Run next in place of the current thread. Caller holds sched_lock. */
static void switch_to(struct thread *next)
{
	struct thread *prev = cpu0.cur;
	next->state = TS_RUNNING;
	next->slice = misbehave == 2 ? 1 : SLICE_TICKS;
	if (next == prev)
		return;
	if (next->task)		/* reloads CR3 only if the space changes */
		vm_activate(next->task->vm);
	if (next->tf)		/* the idle thread never enters user mode */
		tss_set_esp0((uint32_t)(next->tf + 1));
	fpu_switch(next);
	cpu0.cur = next;
	cpu0.switches++;
	swtch(&prev->ksp, next->ksp);
	reap_dead();
}

/* Caller holds sched_lock; cur->state says where cur goes. */
void sched_switch(void)
{
	DEBUG_CHECK(check_spin_held(&sched_lock));
	DEBUG_CHECK(check_runq(&runq));
	struct thread *next = waitq_pop(&runq);
	if (!next) {
		if (cpu0.cur->state == TS_RUNNING)
			return;		/* nothing else to run: keep going */
		next = cpu0.idle;
	}
	switch_to(next);
}

int sched_yield_to(struct thread *t)
{
	struct thread *self = cpu0.cur;
	if (t == self) {
		sched_add(self);
		sched_switch();
		return 0;
	}
	if (t->state != TS_RUNNABLE)
		return -EBUSY;
	waitq_remove(&runq, t);
	if (self != cpu0.idle)
		sched_add(self);
	switch_to(t);
	return 0;
}

void sched_first_run(void)
{
	reap_dead();
	/* The switcher held sched_lock with interrupts off; we release the
	 * lock but leave interrupts off: trap_return's iret restores the
	 * user's eflags (IF set) atomically with the return to ring 3. */
	xchg(&sched_lock.locked, 0);
}

static void block(struct waitq *q, bool intr)
{
	struct thread *t = cpu0.cur;
	t->state = TS_BLOCKED;
	t->waitq = q;
	t->intr = intr;
	waitq_push(q, t);
	sched_switch();
}

void sched_block(struct waitq *q)
{
	block(q, false);
}

int sched_block_intr(struct waitq *q)
{
	if (cpu0.cur->killed)
		return -EINTR;
	block(q, true);
	return cpu0.cur->killed ? -EINTR : 0;
}

/* Remove t from the sleep queue. Caller holds sched_lock. */
static void sleep_remove(struct thread *t)
{
	for (struct thread **p = &sleepers; *p; p = &(*p)->qnext)
		if (*p == t) {
			*p = t->qnext;
			return;
		}
}

void sched_wake(struct thread *t)
{
	switch (t->state) {
	case TS_BLOCKED:
		waitq_remove(t->waitq, t);
		break;
	case TS_SLEEPING:
		sleep_remove(t);
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
	t->killed = true;
	if (t->state != TS_BLOCKED || t->intr)
		sched_wake(t);
}

void sched_yield(void)
{
	uint32_t f = spin_lock(&sched_lock);
	struct thread *t = cpu0.cur;
	if (t != cpu0.idle)
		sched_add(t);
	sched_switch();
	spin_unlock(&sched_lock, f);
}

int sched_sleep(uint32_t ticks)
{
	struct thread *t = cpu0.cur;
	uint32_t f = spin_lock(&sched_lock);
	int err = t->killed ? -EINTR : 0;
	if (!err && ticks) {
		t->wake_tick = pit_ticks() + ticks;
		struct thread **p = &sleepers;
		while (*p && !before(t->wake_tick, (*p)->wake_tick))
			p = &(*p)->qnext;	/* FIFO among equal ticks */
		t->qnext = *p;
		*p = t;
		t->state = TS_SLEEPING;
		sched_switch();
		err = t->killed ? -EINTR : 0;
	}
	spin_unlock(&sched_lock, f);
	return err;
}

void sched_tick(struct trapframe *tf)
{
	(void)tf;
	uint32_t now = pit_ticks();
	uint32_t f = spin_lock(&sched_lock);
	while (sleepers && !before(now, sleepers->wake_tick)) {
		struct thread *t = sleepers;
		sleepers = t->qnext;
		sched_add(t);
	}
	struct thread *cur = cpu0.cur;
	bool idle = cur == cpu0.idle;
	/* A thread holding a printers' lock runs on (sync/nopreempt.h). */
	if ((idle && !waitq_empty(&runq)) || (!idle && --cur->slice <= 0 && !cur->nopreempt)) {
		if (!idle)
			sched_add(cur);
		sched_switch();
	}
	spin_unlock(&sched_lock, f);
}

/*
 * Misbehave modes (pebbles-abi.md 3; docs/scheduling.md). Every value is
 * accepted; -1 and 0 are normal scheduling. 1: yield on every return from
 * a system call. 2: one-tick time slices. 3: yield at random on about one
 * system-call return in four. Other values: normal.
 */
void sched_set_misbehave(int mode)
{
	uint32_t f = spin_lock(&sched_lock);
	misbehave = mode;
	spin_unlock(&sched_lock, f);
}

/* Called on the way back to user mode from every system call. */
void sched_syscall_exit(void)
{
	bool yield = misbehave == 1;
	if (misbehave == 3) {
		uint32_t f = spin_lock(&sched_lock);
		rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
		yield = (rng & 3) == 0;
		spin_unlock(&sched_lock, f);
	}
	if (yield)
		sched_yield();
}

uint32_t sched_nr_switches(void)
{
	return cpu0.switches;
}

/* The first time the CPU has nothing to do, booting is over (the shell
 * waits for a key): log when, at loglevel=3. Under QEMU's -icount
 * shift=0 the TSC counts guest instructions from reset (tools/bench.py,
 * docs/performance.md). */
static void note_first_idle(void)
{
	static bool idled;	/* [idle thread] */
	if (!idled) {
		idled = true;
		klog(LOG_DEBUG, "sched: first idle at tsc %llu", rdtsc());
	}
}

void sched_start(struct thread *idle)
{
	cpu0.idle = cpu0.cur = idle;
	idle->state = TS_RUNNING;
	pit_set_hook(sched_tick);
	for (;;) {
		cli();	/* check-then-halt must not miss a wake-up: sti;hlt is atomic */
		if (waitq_empty(&runq)) {
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
