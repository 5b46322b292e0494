/*
 * kmap.h: reaching user frames from the kernel.
 *
 * The kernel maps only the low 16 MiB, and user frames live above it:
 * the pages of user memory and the page tables that map them. To read or
 * write one (in any address space, not only the current one) the kernel
 * points one of its KMAP slots at the frame for the length of the
 * operation. Each CPU has its own KMAP_SLOTS slots, one per role below, so
 * that a fork can hold the parent's and the child's page tables at once,
 * and a copy-on-write fault its page table and the two frames it copies.
 *
 * The slots are used inside a session, kmap_begin .. kmap_end, which
 * takes this CPU's kmap lock: a spinlock, so interrupts are off and the
 * thread can neither be preempted (another thread on this CPU would
 * reuse its slots) nor moved to another CPU. Lock order: an address
 * space's lock, then the session, then frames_lock (mm/frame.h).
 */
#ifndef MM_KMAP_H
#define MM_KMAP_H

#include <stdint.h>
#include "mm/layout.h"
#include "arch/x86/gdt.h"
#include "arch/x86/x86.h"
#include "sync/spinlock.h"

/* The slots of a CPU, by role (KMAP_SLOTS in mm/layout.h). */
enum kmap_slot {
	KM_PT,		/* a page table being read or changed */
	KM_PT2,		/* a second one (fork: the child's) */
	KM_DST,		/* a frame being written */
	KM_SRC,		/* a frame being read */
};

/* A CPU's slots. Only mm/kmap.c and kmap below touch these.
 * Lock tags (docs/sync.md): [l] lock, the CPU's kmap lock. */
struct kmap_cpu {
	struct spinlock lock;		/* held for a session */
};
extern struct kmap_cpu kmap_cpus[MAX_CPUS];
/* The frame each slot maps, or 0, by slot number: CPU n's slots are
 * n * KMAP_SLOTS + enum kmap_slot, the order of their pages at KMAP_BASE.
 * One flat array: a slot's number then finds its frame, its entry and its
 * address alike. */
extern uint32_t kmap_pa[MAX_CPUS * KMAP_SLOTS];	/* [l] of the slot's CPU */

/* The CPU we run on: inside a session, whose lock keeps us on it. */
static inline unsigned kmap_this_cpu(void)
{
	return cpu_index();
}

/* This CPU's kmap lock, held for a session ("caller holds a kmap
 * session": ASSERT_HELD(kmap_lock())). */
static inline struct spinlock *kmap_lock(void)
{
	return &kmap_cpus[kmap_this_cpu()].lock;
}

/* Start a session on this CPU's slots; returns what kmap_end needs.
 * Interrupts go off before the CPU is asked who it is: a thread moved
 * to another CPU in between would take the wrong CPU's lock. */
static inline uint32_t kmap_begin(void)
{
	uint32_t flags = read_eflags();
	cli();
	spin_acquire(&kmap_cpus[kmap_this_cpu()].lock);
	return flags;
}

static inline void kmap_end(uint32_t flags)
{
	spin_unlock(&kmap_cpus[kmap_this_cpu()].lock, flags);
}

/* Point slot number i (kmap_pa) at pa (it maps another frame). Only
 * kmap calls this. */
void kmap_remap(unsigned i, uint32_t pa);

/* The frame at physical address pa, mapped writable in slot of this CPU
 * until the slot is used again. Only inside a session. Mapping the frame
 * the slot already maps costs a compare: inline, as page-table walks and
 * faults call it for every table. */
static inline void *kmap(enum kmap_slot slot, uint32_t pa)
{
	unsigned i = kmap_this_cpu() * KMAP_SLOTS + slot;
	if (kmap_pa[i] != pa)	/* kmap_remap checks for the session */
		kmap_remap(i, pa);
	return (void *)(KMAP_BASE + i * PAGE_SIZE);
}

#endif
