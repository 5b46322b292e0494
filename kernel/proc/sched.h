/*
 * sched.h: the scheduler - a multi-level feedback run queue, a sleep
 * queue ordered by wake-up tick, blocking and waking, and time slices
 * driven by the 100 Hz timer (docs/scheduling.md).
 *
 * sched_lock is a spinlock (interrupts off while held) because the timer
 * and device interrupts wake threads. It protects every thread's state,
 * the run queue, the sleep queue and every wait queue. Functions marked
 * "caller holds sched_lock" may switch threads and return with it held.
 *
 * Lock tags (docs/sync.md): [a] atomic, [b] boot.
 */
#ifndef PROC_SCHED_H
#define PROC_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sync/waitq.h"	/* sched_lock, sched_block, sched_wake_one, ... */

struct thread;
struct trapframe;

#define SLICE_TICKS 3	/* 30 ms: the slice of threads that never block */

/* Turn the boot context, on [stack, stack + size), into this CPU's
 * idle thread and start running threads; never returns. */
void sched_start(struct thread *idle, void *stack, size_t size) __attribute__((noreturn));
/* CPU index (cpu_index()) with local APIC apic_id is about to start:
 * wake-ups may send it reschedule IPIs once it runs (docs/smp.md). */
void sched_add_cpu(unsigned index, unsigned apic_id);
/* Each CPU's local APIC timer drives its preemption (sched_cpu_tick);
 * the PIT's tick (sched_tick) then only counts time and wakes sleepers.
 * Set at boot before the timers start. */
extern bool sched_cpu_timers;	/* [b] */
/* Pages [base, base + size) of kernel stack belong to t (NULL: nobody),
 * for curthread() (sync/waitq.h). Caller holds sched_lock. */
void sched_stack_own(void *base, size_t size, struct thread *t);

/* Caller holds sched_lock. */
void sched_add(struct thread *t);		/* make new or woken t runnable */
/* New thread t starts one level below parent, its creator (at the top if
 * there is none or it is the idle thread): docs/scheduling.md. */
void sched_inherit(struct thread *t, const struct thread *parent);
void sched_switch(void);			/* cur->state already set */
void sched_kill(struct thread *t);		/* set killed, interrupt its wait */
int sched_yield_to(struct thread *t);		/* -EBUSY unless t is runnable
						 * or running (on any CPU) */

/* A thread the timer left running (nopreempt, proc/nopreempt.h) gives
 * up the CPU now if its allotment ran out meanwhile, as the tick would
 * have made it. */
void sched_preempt_point(void);
/* Give up the CPU (another runnable thread runs first). */
void sched_yield(void);
/* yield(tid) for a tid (docs/abi/threads.md): run thread tid next;
 * -ESRCH if there is none, -EBUSY unless it is runnable. */
int sched_yield_to_tid(int tid);
/* deschedule(flag): unless the int at user address flag_uptr is not 0,
 * sleep until a make_runnable (or a kill). 0, or -EFAULT without
 * sleeping if the flag cannot be read. */
int sched_deschedule(uintptr_t flag_uptr);
/* make_runnable(tid): wake thread tid from deschedule; -ESRCH if it is
 * not in deschedule or already woken. */
int sched_make_runnable(int tid);
/* Sleep at least ticks timer ticks; -EINTR if killed meanwhile. */
int sched_sleep(uint32_t ticks);
/* Caller holds sched_lock: sleep until ticks timer ticks have passed or
 * sched_wake_sleeper() ends the sleep early (a device's interrupt: dev/ata.c
 * waits for its disk so, with a deadline). A kill wakes it too; the
 * caller decides whether to sleep again. */
void sched_sleep_locked(uint32_t ticks);
/* Caller holds sched_lock: end t's sched_sleep_locked early, if t is in
 * it. A thread that waits anywhere else, for a mutex or a condition, is
 * left waiting: it must wake only with what it waits for. t may have
 * slept on any CPU: a sleeper runs nowhere while sched_lock is held. */
void sched_wake_sleeper(struct thread *t);
/* Called on every PIT tick (the boot CPU), in interrupt context. */
void sched_tick(struct trapframe *tf);
/* Called on every tick of this CPU's local APIC timer, in interrupt
 * context (sched_cpu_timers). */
void sched_cpu_tick(void);
/* The reschedule IPI: a thread of a higher level than ours may be
 * runnable (interrupt context). */
void sched_resched(void);
/* Start a new thread from its prepared stack (proc/switch.S). */
void sched_first_run(void);
/* Misbehave modes (docs/scheduling.md): perturb to shake out races. */
void sched_set_misbehave(int mode);
/*
 * Step 1 of the way back to user mode after a system call
 * (proc_user_return): while misbehave mode 1 or 3 is on, a system call
 * ends in sched_misbehave_yield(), which may yield. The flag is read
 * without the lock on every trap's way out (inline: the path is hot,
 * docs/performance.md); a stale value only delays a mode change by one
 * call.
 */
extern bool sched_syscall_yields;	/* [a] */
static inline bool sched_syscall_may_yield(void)
{
	return __atomic_load_n(&sched_syscall_yields, __ATOMIC_RELAXED);
}
void sched_misbehave_yield(void);

/* One CPU's counters since boot (kstat, docs/smp.md). */
struct sched_cpu_stats {
	uint32_t switches;	/* context switches it made */
	uint32_t ipis;		/* reschedule IPIs it sent */
	uint64_t idle_tsc;	/* TSC cycles its idle thread had the CPU,
				 * the interrupts it took and a stretch
				 * going on included: under -icount, the
				 * time a halted CPU's clock moved on
				 * without instructions (docs/performance.md,
				 * "Disk rows: the idle thread's share") */
};
/* Fill st[0..MAX_CPUS) with each CPU's counters, the idle times read at
 * one moment; return the number of CPUs that run the scheduler (the
 * entries from there on are zeros). */
unsigned sched_cpu_stats(struct sched_cpu_stats *st);
/* The latency probe (docs/performance.md): an Enter key came (interrupt
 * context, caller holds sched_lock); a task prints. */
void sched_note_enter(void);
void sched_note_output(void);

#endif
