/*
 * spinlock.h: the lowest lock. It is the only place in the kernel where
 * "interrupts off" is part of mutual exclusion: a spinlock is taken with
 * interrupts disabled on this CPU (so an interrupt handler on the same CPU
 * cannot spin on a lock its own CPU holds) and spins on xchg (so another
 * CPU, once there is one, is kept out too). Hold one only for a few
 * instructions' worth of work; anything longer uses a mutex (mutex.h).
 */
#ifndef SYNC_SPINLOCK_H
#define SYNC_SPINLOCK_H

#include <stdint.h>
#include "arch/x86/x86.h"
#include "debug/debug.h"

/* Lock tags (docs/sync.md): [c] constant, [a] atomic. */
struct spinlock {
	volatile uint32_t locked;	/* [a] 1 held, 0 free: xchg only */
	const char *name;		/* [c] */
};

#define SPINLOCK_INIT(n) { 0, n }

/* Take l with interrupts off; returns the previous eflags for release. */
static inline uint32_t spin_lock(struct spinlock *l)
{
	uint32_t flags = read_eflags();
	cli();
	DEBUG_CHECK(lockorder_spin_acquire(l));	/* before a deadlock could spin */
	while (xchg(&l->locked, 1))
		__asm__ volatile("pause");
	return flags;
}

/* Release l and restore the interrupt state spin_lock found. */
static inline void spin_unlock(struct spinlock *l, uint32_t flags)
{
	DEBUG_CHECK(lockorder_spin_release(l));
	xchg(&l->locked, 0);
	if (flags & EFLAGS_IF)
		sti();
}

#endif
