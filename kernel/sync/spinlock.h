/*
 * spinlock.h: the lowest lock. It is the only place in the kernel where
 * "interrupts off" is part of mutual exclusion: a spinlock is taken with
 * interrupts disabled on this CPU (so an interrupt handler on the same CPU
 * cannot spin on a lock its own CPU holds) and spins on xchg with pause
 * (so other CPUs are kept out). Hold one only for a few instructions'
 * worth of work; anything longer uses a mutex (mutex.h).
 *
 * A debug kernel (DEBUG=1) records the holder's CPU: "caller holds l"
 * (ASSERT_HELD) then means held by this CPU, and taking a lock this CPU
 * already holds, which would spin for ever, is caught (docs/sync.md).
 * Other kernels skip the bookkeeping: every system call takes locks, and
 * the instruction counts of docs/performance.md are kept. A debug kernel
 * also checks the order locks are taken in (debug/lockorder.c).
 */
#ifndef SYNC_SPINLOCK_H
#define SYNC_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/gdt.h"
#include "arch/x86/x86.h"
#include "debug/debug.h"

/* Lock tags (docs/sync.md): [c] constant, [a] atomic, [l] the lock itself. */
struct spinlock {
	volatile uint32_t locked;	/* [a] 1 held, 0 free: xchg only */
	const char *name;		/* [c] */
	int cpu;			/* [l] the holder's cpu_index(), -1 if
					 * free (DEBUG=1 only; else always -1) */
};

#define SPINLOCK_INIT(n) { 0, n, -1 }

/* Take l; the caller has turned interrupts off. */
static inline void spin_acquire(struct spinlock *l)
{
	DEBUG_CHECK(check_spin_not_mine(l));
	DEBUG_CHECK(lockorder_spin_acquire(l));	/* before a deadlock could spin */
	while (xchg(&l->locked, 1))
		__asm__ volatile("pause");
#ifdef FABLE_DEBUG
	l->cpu = (int)cpu_index();
#endif
}

/* Take l if it is free, without spinning; returns whether it did. The
 * caller has turned interrupts off. For a handler that must not wait
 * for a holder: it leaves its work to that holder instead (serial.c). */
static inline bool spin_tryacquire(struct spinlock *l)
{
	DEBUG_CHECK(check_spin_not_mine(l));
	if (xchg(&l->locked, 1))
		return false;
	DEBUG_CHECK(lockorder_spin_acquire(l));
#ifdef FABLE_DEBUG
	l->cpu = (int)cpu_index();
#endif
	return true;
}

/* Take l with interrupts off; returns the previous eflags for release. */
static inline uint32_t spin_lock(struct spinlock *l)
{
	uint32_t flags = read_eflags();
	cli();
	spin_acquire(l);
	return flags;
}

/* Release l, leaving interrupts off (a new thread's first step: its
 * iret turns them on, sched_first_run). */
static inline void spin_unlock_irqs_off(struct spinlock *l)
{
	DEBUG_CHECK(lockorder_spin_release(l));
#ifdef FABLE_DEBUG
	l->cpu = -1;
#endif
	xchg(&l->locked, 0);
}

/* Release l and restore the interrupt state spin_lock found. */
static inline void spin_unlock(struct spinlock *l, uint32_t flags)
{
	spin_unlock_irqs_off(l);
	if (flags & EFLAGS_IF)
		sti();
}

#endif
