/*
 * vm.h: address spaces.
 *
 * An address space (struct vm) is a page directory and a list of
 * regions (mm/rmap.h). The low 16 MiB is the kernel's, shared by every
 * address space through the kernel's own page tables; user regions lie
 * in [USER_MEM_START, 4 GiB). Region pages start out empty: a read maps
 * the shared zero frame, a write gets a private zeroed frame (ZFOD);
 * after vm_fork both sides share frames read-only until one writes (COW).
 * Every page of a region holds a frame reservation from the moment it is
 * made (mm/frame.h), so a fault inside a region never runs out of memory:
 * running out is an error of vm_map or vm_fork.
 *
 * The page tables a region needs are made when it is mapped, so faults
 * need no memory either. They are user frames, each holding a frame
 * reservation of its address space like a page does: a region that
 * needs a new table costs a frame more, and running out of them is the
 * same -ENOMEM. Only the page directory (4 KiB) and the structures (a
 * region node per region) are kernel memory, so kernel memory (about
 * 14 MiB) bounds the number of address spaces, and page tables cannot
 * exhaust it.
 *
 * Locking: each vm has a mutex, taken in process context only (never in
 * interrupt handlers) and held only inside these calls; it nests outside
 * the kmap session (mm/kmap.h) and the frame and kernel-memory spinlocks.
 * A thread must not hold its own vm's lock across user copies (a fault
 * there takes it).
 */
#ifndef MM_VM_H
#define MM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/layout.h"
#include "mm/mm.h"
#include "arch/x86/x86.h"
#include "mm/paging.h"
#include "mm/rmap.h"
#include "sync/mutex.h"

/* Public only so that vm_range_ok_alone is inline; only mm/vm.c reads or
 * changes the fields. Lock tags (docs/sync.md): [c] constant, [a] atomic,
 * [b] set at boot, before another CPU runs threads, [i] changed only by
 * the CPU it is about, with interrupts off, [v] vm->lock. */
struct vm {
	struct mutex lock;	/* process context only; nests outside mm's spinlocks */
	uint32_t *pd;		/* [c] page directory, in kernel memory; its
				 * user entries [v] */
	struct rmap regions;	/* [v]; read without the lock by its task's only thread
				 * (vm_range_ok_alone): nobody else changes them */
	unsigned pages;		/* [v] pages in regions: frames reserved for them */
	unsigned tables;	/* [v] page tables: frames held for them */
	/* [v] A region node kept from the last unmap for the next map:
	 * new_pages/remove_pages cycles then skip the kernel heap. (An empty
	 * page table is not kept: it would be a frame the task pays for
	 * without having asked; the frame pool recycles it without zeroing.) */
	struct region *spare;
	uint32_t cpus;		/* [a] bit n: CPU n may cache its entries */
	bool dying;		/* [a] being destroyed: CPUs that have it
				 * loaded leave it when asked to flush */
};

/* What a region was made for; kept for the process layer and reports. */
enum vm_kind {
	VM_TEXT,
	VM_RODATA,
	VM_DATA,
	VM_BSS,
	VM_STACK,
	VM_NEW_PAGES,
	VM_KINDS
};

/* Permissions: user access always; "execute" goes with read. */
#define VM_READ		1
#define VM_WRITE	2

struct vm;

/* A new address space holding only the kernel, or NULL (out of memory). */
struct vm *vm_create(void);
/* Free everything: frames, reservations, page tables, regions. If vm is
 * the current address space, switches to the kernel's first. No thread
 * may be using vm. */
void vm_destroy(struct vm *vm);
/* Make a region of len bytes at start: empty pages (ZFOD) with
 * permissions prot (VM_READ, optionally | VM_WRITE). Reserves a frame per
 * page. Returns 0; -EINVAL if start is not page-aligned, len is not a
 * positive multiple of PAGE_SIZE, the range leaves user space (the end is
 * computed without overflow) or prot/kind is invalid; -EEXIST if it
 * overlaps a region; -ENOMEM if frames (for its pages and page tables)
 * or kernel memory run short. */
int vm_map(struct vm *vm, uintptr_t start, size_t len, int prot, enum vm_kind kind);
/* Remove the whole region made by the vm_map(start, ..., kind) call,
 * releasing its frames and reservations: 0, or -EINVAL if no such region
 * starts exactly at start (e.g. the middle of one, or another kind). */
int vm_unmap(struct vm *vm, uintptr_t start, enum vm_kind kind);
/* Set the permissions of [start, start + len), which regions must cover
 * completely (they are split at its ends): 0, -EINVAL for bad arguments,
 * -EFAULT if not covered, -ENOMEM if a split cannot get memory. */
int vm_protect(struct vm *vm, uintptr_t start, size_t len, int prot);
/* Copy len bytes from kernel memory src into vm at va, whatever the
 * permissions (the loader fills read-only text this way); vm need not be
 * the current address space. 0, or -EFAULT if a byte is outside vm's
 * regions (then some bytes may have been written). */
int vm_write(struct vm *vm, uintptr_t va, const void *src, size_t len);
/* The same, from physical memory [pa, pa + len), at or above 16 MiB and
 * never handed out as frames (the RAM disk's bytes, dev/ramdisk.h). */
int vm_write_phys(struct vm *vm, uintptr_t va, uint32_t pa, size_t len);
/* A copy of vm (the caller's task, e.g.) sharing its frames copy-on-write,
 * with a reservation for every page and page table; NULL if memory runs
 * short. */
struct vm *vm_fork(struct vm *vm);
/* Switch to vm (NULL: the kernel's page directory only). Loads CR3 only
 * when the address space changes. */
void vm_activate(struct vm *vm);
/* The address space in each CPU's CR3 (NULL: the kernel's directory),
 * changed together with its CR3. */
extern struct vm *vm_on_cpu[MAX_CPUS];	/* [i] */
/* Load vm (NULL: the kernel's directory) on CPU me, this one, whose
 * space it is not yet. Interrupts off. */
void vm_switch(unsigned me, struct vm *vm);
/* Another CPU runs threads: spaces record where they are loaded. */
extern bool vm_smp;			/* [b] */
/* vm_activate for a caller that has interrupts off and runs on CPU me
 * (the scheduler). Inline: a switch between threads of one task costs a
 * compare, and on one CPU a switch of spaces costs the CR3 load and a
 * store (vm_switch's first case, without the call: every switch between
 * tasks comes here, docs/performance.md). */
static inline void vm_activate_locked(unsigned me, struct vm *vm)
{
	if (vm == vm_on_cpu[me])
		return;
	if (vm_smp) {
		vm_switch(me, vm);
		return;
	}
	vm_on_cpu[me] = vm;
	write_cr3((uint32_t)(vm ? vm->pd : kernel_pd));
}
/* CPU cpu (cpu_index()) with local APIC apic_id runs threads: spaces
 * record where they are loaded, and changes to them are shot down
 * there (docs/smp.md). At boot, before it runs any. */
void vm_cpu_add(unsigned cpu, unsigned apic_id);
/* Since boot: the TLB-shootdown IPIs CPU cpu (< MAX_CPUS) sent, and its
 * shootdowns that sent some. */
void vm_tlb_counts(unsigned cpu, unsigned *ipis, unsigned *shootdowns);
/* The address space this CPU runs in (NULL: kernel only). */
struct vm *vm_current(void);
/* Resolve a fault at addr with page-fault error code err (mm/paging.h
 * PF_*): if the access is now possible, how (>= 0, below); -EFAULT if vm
 * does not allow it. The kinds are the trace's TREV_FAULT_* (fable/trace.h,
 * checked in fault.c). */
#define VM_FAULT_ZERO	1	/* a read: the shared zero page */
#define VM_FAULT_ZFOD	2	/* a write: a fresh zeroed page */
#define VM_FAULT_COW	3	/* a write: a private copy */
#define VM_FAULT_AGAIN	4	/* nothing to do: another thread did it */
int vm_fault(struct vm *vm, uintptr_t addr, uint32_t err);
/* Do vm's regions cover [va, va + len) with at least permissions prot?
 * (len 0: true.) Only a snapshot: another thread may unmap afterwards,
 * which the user-copy routines handle anyway. */
bool vm_range_ok(struct vm *vm, uintptr_t va, size_t len, int prot);
/* The same without vm's lock: the caller is the only thread that can
 * change vm's regions, its task's only one (task_alone()). Inline:
 * every read and write checks its buffer so. The region that vm's map
 * found last (its hint) usually covers the range; only when it does not
 * does the check call the walk of the map. */
bool vm_range_ok_walk(struct vm *vm, uintptr_t va, size_t len, int prot);	/* len > 0 */
static inline bool vm_range_ok_alone(struct vm *vm, uintptr_t va, size_t len, int prot)
{
	if (!len)
		return true;
	const struct region *r = vm ? vm->regions.hint : NULL;
	if (r && len - 1 <= UINTPTR_MAX - va && r->lo <= va >> PAGE_SHIFT &&
	    (va + len - 1) >> PAGE_SHIFT < r->hi && (r->prot & prot) == prot)
		return true;	/* regions lie in user memory: va is too */
	return vm_range_ok_walk(vm, va, len, prot);
}

/* The user frames vm holds or has reserved: pages in its regions and
 * its page tables. */
unsigned vm_pages(struct vm *vm);

#endif
