/*
 * vm.c: address spaces (see vm.h).
 *
 * Page tables: the directory is a kernel page; the page tables under it
 * that map user space are user frames, reached through this CPU's KMAP
 * slots (mm/kmap.h) inside a session. Each holds one frame reservation
 * of its address space, made with the region that needs it, so a task
 * pays for its page tables like for its pages, and page tables can
 * exhaust nothing but the task's own share of user memory.
 *
 * Invariants, for every vm (under vm->lock):
 *  - a page directory entry above the kernel's is present exactly when
 *    some region intersects its 4 MiB span (tables are made by vm_map and
 *    vm_fork, freed when their last region goes), so faults need no memory;
 *  - a present page table entry lies in a region and grants no more than
 *    the region: read-only entries in writable regions mean "zero frame"
 *    or "shared after fork" and are made private on the first write;
 *  - PDE_FILLED is set in a directory entry once its table has had a
 *    present entry, so tables that never had one are not scanned; a table
 *    no region touches has no present entry, so it is all zeros;
 *  - vm->pages is the number of pages in regions and vm->tables the number
 *    of page tables, each holding one frame reservation.
 *
 * TLB: only the current address space can have TLB entries (user entries
 * are not global, and a CR3 load drops them). An entry that was present
 * is flushed with invlpg before the frame behind it can be freed; when an
 * operation write-protects many pages (fork, protect), one CR3 reload
 * replaces the invlpgs past the first TLB_BATCH. Until then (the fork may
 * be preempted between tables) another thread of the space may still
 * write through an old entry, into a frame the child already shares;
 * that write is concurrent with the system call, so the child may see it.
 * What matters is that the flush is done before the call returns and
 * before the child is published (test fork_snapshot).
 *
 * Several CPUs (docs/smp.md, "TLB shootdown"): each space records in
 * vm->cpus which CPUs may cache its entries (set when a CPU loads it into
 * CR3, cleared once it has loaded another). Whenever an entry other CPUs
 * may cache loses its frame or a permission - unmap, copy-on-write break,
 * fork's and protect's write-protection, a page table freed, the space
 * destroyed - shootdown() interrupts those CPUs (T_TLB) and waits until
 * each has flushed, before the frame can be reused and before the
 * operation returns.
 */
#include "mm/vm.h"
#include "debug/trace.h"
#include "mm/frame.h"
#include "mm/internal.h"
#include "mm/kmalloc.h"
#include "mm/kmap.h"
#include "mm/kmem.h"
#include "mm/paging.h"
#include "mm/rmap.h"
#include "arch/x86/gdt.h"
#include "arch/x86/lapic.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "sync/mutex.h"
#include "debug/debug.h"

#define TLB_BATCH 16
/* A directory entry bit the MMU ignores: the table has had a present entry. */
#define PDE_FILLED 0x200u

/* Lock tags (docs/sync.md): [a] atomic, [b] boot, [i] interrupts off. */
/* A CPU's side of the shootdown: requests come in as req, and done says
 * up to which one its TLB has been flushed. */
struct tlb_cpu {
	uint32_t req;		/* [a] requests made of this CPU */
	uint32_t done;		/* [a] requests it answered */
	unsigned apic_id;	/* [b] where its IPIs go */
	uint32_t ipis;		/* [i] shootdown IPIs it sent; read whole
				 * by any CPU (vm_tlb_counts) */
	uint32_t shootdowns;	/* [i] shootdowns it made (that sent IPIs);
				 * likewise */
} __attribute__((aligned(64)));	/* one cache line each */

struct vm *vm_on_cpu[MAX_CPUS];	/* [i] the address space in each CPU's CR3 */
static struct tlb_cpu tlb_cpus[MAX_CPUS];
bool vm_smp;			/* [b] another CPU runs: spaces track their CPUs */
unsigned vm_count;		/* [a] address spaces, for mm_stats */
unsigned vm_tables;		/* [a] page tables of all of them, for mm_stats */

/* The pages of one operation whose permissions shrank, to be flushed. */
struct tlb_batch {
	struct vm *vm;
	unsigned n;		/* pages changed so far */
};

/* What for_present does to the present entry *pte of page pg (which it
 * may change), inside for_present's kmap session; *pair is page pg's
 * entry in the second address space for_present was given, or without
 * one pte again (so that the loop has no test for it). */
typedef void (*pte_fn)(struct vm *vm, uint32_t pg, uint32_t *pte, uint32_t *pair, void *arg);

/* The page table of directory entry d, mapped in slot. Caller holds
 * vm->lock and a kmap session; the table exists (a region touches it). */
static inline uint32_t *table_map(struct vm *vm, uint32_t d, enum kmap_slot slot)
{
	ASSERT_HELD(&vm->lock);
	ASSERT_HELD(kmap_lock());
	assert(vm->pd[d] & PTE_P);	/* region pages have tables */
	return kmap(slot, vm->pd[d] & PTE_ADDR);
}

/* Page pg's entry, its table mapped in slot; as table_map. */
static inline uint32_t *pte_map(struct vm *vm, uint32_t pg, enum kmap_slot slot)
{
	return table_map(vm, pg / PT_ENTRIES, slot) + pg % PT_ENTRIES;
}

/* Set page pg's entry *pte (from pte_map) to e, keeping PDE_FILLED and
 * the TLB right. Caller holds vm->lock and the session. */
static inline __attribute__((always_inline)) void
pte_set(struct vm *vm, uint32_t pg, uint32_t *pte, uint32_t e)
{
	ASSERT_HELD(&vm->lock);
	ASSERT_HELD(kmap_lock());
	uint32_t old = *pte;
	*pte = e;
	if (e & PTE_P)
		vm->pd[pg / PT_ENTRIES] |= PDE_FILLED;
	if ((old & PTE_P) && vm == vm_on_cpu[cpu_index()])
		invlpg(pg << PAGE_SHIFT);
}

/* Answer this CPU's shootdown requests, if any: flush its TLB's user
 * entries (a CR3 reload), or leave its space if that is being destroyed.
 * Interrupts off. */
static void tlb_answer(unsigned me)
{
	struct tlb_cpu *c = &tlb_cpus[me];
	uint32_t r = __atomic_load_n(&c->req, __ATOMIC_ACQUIRE);
	if (r == c->done)
		return;
	struct vm *vm = vm_on_cpu[me];
	if (vm && __atomic_load_n(&vm->dying, __ATOMIC_RELAXED))
		vm_switch(me, NULL);
	else
		write_cr3(read_cr3());
	__atomic_store_n(&c->done, r, __ATOMIC_RELEASE);
}

/* The T_TLB IPI. */
static void tlb_ipi(struct trapframe *tf)
{
	(void)tf;
	lapic_eoi();
	tlb_answer(cpu_index());
}

/*
 * Entries of vm changed that other CPUs may cache: make every other CPU
 * in vm->cpus flush, and return once all have. The caller has made the
 * change (and flushed its own TLB). Caller holds no spinlock but maybe
 * its kmap session: a CPU spinning for a lock we held would never
 * answer. Two CPUs that shoot at each other both answer while they wait.
 */
static void shootdown(struct vm *vm)
{
	if (!vm_smp)
		return;
	/* The changed entries are written before we read who may cache
	 * them: a CPU not yet in cpus loads CR3 after joining, so it walks
	 * the new entries (vm_switch). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint32_t flags = read_eflags();
	cli();
	unsigned me = cpu_index();
	uint32_t others = __atomic_load_n(&vm->cpus, __ATOMIC_RELAXED) & ~(1u << me);
	uint32_t want[MAX_CPUS];
	if (others) {
		trace_tlb_shootdown(others, 0, 0);
		for (uint32_t m = others; m; m &= m - 1) {
			unsigned i = __builtin_ctz(m);
			want[i] = __atomic_add_fetch(&tlb_cpus[i].req, 1, __ATOMIC_SEQ_CST);
			lapic_ipi(tlb_cpus[i].apic_id, T_TLB);
			tlb_cpus[me].ipis++;
		}
		for (uint32_t m = others; m; m &= m - 1) {
			unsigned i = __builtin_ctz(m);
			while ((int32_t)(__atomic_load_n(&tlb_cpus[i].done, __ATOMIC_ACQUIRE) - want[i]) < 0) {
				tlb_answer(me);
				__asm__ volatile("pause");
			}
		}
		tlb_cpus[me].shootdowns++;
	}
	write_eflags(flags);
}

void vm_cpu_add(unsigned cpu, unsigned apic_id)
{
	tlb_cpus[cpu].apic_id = apic_id;
	if (!vm_smp) {
		vm_smp = true;
		trap_set(T_TLB, tlb_ipi, false);
	}
}

void vm_tlb_counts(unsigned cpu, unsigned *ipis, unsigned *shootdowns)
{
	assert(cpu < MAX_CPUS);
	/* Each word is read whole; its CPU may be adding to it meanwhile. */
	*ipis = __atomic_load_n(&tlb_cpus[cpu].ipis, __ATOMIC_RELAXED);
	*shootdowns = __atomic_load_n(&tlb_cpus[cpu].shootdowns, __ATOMIC_RELAXED);
}

/* Page pg of b's space lost permissions: invlpg, up to TLB_BATCH pages.
 * Caller holds a kmap session. */
static void tlb_note(struct tlb_batch *b, uint32_t pg)
{
	if (b->vm == vm_on_cpu[cpu_index()] && ++b->n <= TLB_BATCH)
		invlpg(pg << PAGE_SHIFT);
}

/* Past TLB_BATCH pages, one CR3 reload instead of the rest; and the
 * other CPUs' TLBs. Caller holds no kmap session. */
static void tlb_finish(struct tlb_batch *b)
{
	uint32_t flags = read_eflags();
	cli();
	if (b->vm == vm_on_cpu[cpu_index()] && b->n > TLB_BATCH)
		write_cr3(read_cr3());	/* drops all user entries, keeps global ones */
	write_eflags(flags);
	shootdown(b->vm);
}

/* Call fn on every present entry of pages [lo, hi), skipping tables that
 * never had one; with the same entry of pair (which has tables there) if
 * pair is not NULL. A session per table, so interrupts are off for at
 * most a table's worth of entries. Caller holds vm->lock (and pair's).
 * Inlined, so that fn is too: this loop is most of fork and unmap. */
static inline __attribute__((always_inline)) void
for_present(struct vm *vm, struct vm *pair, uint32_t lo, uint32_t hi, pte_fn fn, void *arg)
{
	ASSERT_HELD(&vm->lock);
	if (pair)
		ASSERT_HELD(&pair->lock);
	for (uint32_t pg = lo; pg < hi;) {
		uint32_t d = pg / PT_ENTRIES, end = (d + 1) * PT_ENTRIES;
		end = end < hi ? end : hi;
		if (vm->pd[d] & PDE_FILLED) {
			uint32_t flags = kmap_begin();
			uint32_t *t = table_map(vm, d, KM_PT);
			uint32_t *t2 = pair ? table_map(pair, d, KM_PT2) : t;
			for (uint32_t i = pg % PT_ENTRIES; pg < end; pg++, i++)
				if (t[i] & PTE_P)
					fn(vm, pg, &t[i], &t2[i], arg);
			kmap_end(flags);
		}
		pg = end;
	}
}

/* Directory entries of pages [lo, hi) without a table: the frames
 * tables_make will take. Caller holds vm->lock. */
static unsigned tables_needed(struct vm *vm, uint32_t lo, uint32_t hi)
{
	ASSERT_HELD(&vm->lock);
	unsigned n = 0;
	for (uint32_t d = lo / PT_ENTRIES; d <= (hi - 1) / PT_ENTRIES; d++)
		n += !(vm->pd[d] & PTE_P);
	return n;
}

/* Give pages [lo, hi) page tables, the frames for the tables_needed new
 * ones reserved by the caller. Caller holds vm->lock, no session. */
static void tables_make(struct vm *vm, uint32_t lo, uint32_t hi)
{
	ASSERT_HELD(&vm->lock);
	for (uint32_t d = lo / PT_ENTRIES; d <= (hi - 1) / PT_ENTRIES; d++) {
		if (vm->pd[d] & PTE_P)
			continue;
		vm->pd[d] = frame_alloc_zeroed() | PTE_P | PTE_W | PTE_U;
		vm->tables++;
		__atomic_add_fetch(&vm_tables, 1, __ATOMIC_RELAXED);
	}
}

/* Does below (the region under pages [lo, hi), or NULL) or above (the
 * one over them, or NULL) touch the 4 MiB span of directory entry d? */
static bool span_shared(uint32_t d, const struct region *below, const struct region *above)
{
	return (below && below->hi > d * PT_ENTRIES) || (above && above->lo < (d + 1) * PT_ENTRIES);
}

/* Free the page tables of pages [lo, hi), which no region holds any
 * more, that neither neighbour (below, above: as span_shared) needs.
 * Returns how many: the caller gives back their reservations. Caller
 * holds vm->lock. */
static unsigned tables_trim(struct vm *vm, uint32_t lo, uint32_t hi, const struct region *below,
			    const struct region *above)
{
	ASSERT_HELD(&vm->lock);
	unsigned n = 0;
	for (uint32_t d = lo / PT_ENTRIES; d <= (hi - 1) / PT_ENTRIES; d++) {
		if (!(vm->pd[d] & PTE_P) || span_shared(d, below, above))
			continue;
		uint32_t pt = vm->pd[d] & PTE_ADDR;
		vm->pd[d] = 0;
		uint32_t flags = read_eflags();
		cli();
		if (vm == vm_on_cpu[cpu_index()])	/* the CPU may cache directory entries */
			invlpg(d << 22);
		write_eflags(flags);
		shootdown(vm);		/* so may the others */
		DEBUG_CHECK(check_table_empty(pt));
		frame_free_table(pt);
		vm->tables--;
		__atomic_sub_fetch(&vm_tables, 1, __ATOMIC_RELAXED);
		n++;
	}
	return n;
}

/* A region node, the spare one if there is one. Caller holds vm->lock. */
static struct region *region_new(struct vm *vm)
{
	ASSERT_HELD(&vm->lock);
	struct region *r = vm->spare;
	vm->spare = NULL;
	return r ? r : kmalloc(sizeof *r);
}

/* Free a region node, or keep it as the spare. Caller holds vm->lock. */
static void region_free(struct vm *vm, struct region *r)
{
	ASSERT_HELD(&vm->lock);
	if (vm->spare)
		kfree(r);
	else
		vm->spare = r;
}

/* Frames unmapped but maybe still in other CPUs' TLBs: freed after one
 * shootdown for DROP_BATCH of them. */
#define DROP_BATCH 16
struct drop_batch {
	unsigned n;
	uint32_t pa[DROP_BATCH];
};

/* Shoot down vm's entries, then free the frames of b. */
static void drop_flush(struct vm *vm, struct drop_batch *b)
{
	shootdown(vm);
	for (unsigned i = 0; i < b->n; i++)
		frame_put(b->pa[i]);
	b->n = 0;
}

/* pte_fn: unmap a page and drop its frame (after the TLB flush; with
 * other CPUs, after theirs, in batches). */
static void drop_page(struct vm *vm, uint32_t pg, uint32_t *pte, uint32_t *pair, void *arg)
{
	struct drop_batch *b = arg;
	uint32_t pa = *pte & PTE_ADDR;
	(void)pair;
	pte_set(vm, pg, pte, 0);
	if (pa == zero_frame)
		return;
	if (!vm_smp) {
		frame_put(pa);
		return;
	}
	b->pa[b->n++] = pa;
	if (b->n == DROP_BATCH)
		drop_flush(vm, b);
}

/* Take region r out of vm with its frames. Returns its pages: the
 * caller gives back their reservations. Caller holds vm->lock. */
static unsigned region_drop(struct vm *vm, struct region *r)
{
	ASSERT_HELD(&vm->lock);
	unsigned n = r->hi - r->lo;
	struct drop_batch b;
	b.n = 0;
	for_present(vm, NULL, r->lo, r->hi, drop_page, &b);
	if (b.n)
		drop_flush(vm, &b);
	vm->pages -= n;
	rmap_remove(&vm->regions, r);
	region_free(vm, r);
	return n;
}

/* Remove region r, made by one vm_map, and the pieces split off it
 * (they follow it and share its origin), with the page tables only they
 * needed. Their reservations go back at once, as region_add took them.
 * Caller holds vm->lock. */
static void unmap_origin(struct vm *vm, struct region *r)
{
	ASSERT_HELD(&vm->lock);
	uint32_t lo = r->lo, hi;
	unsigned n = 0;
	struct region *below = rmap_prev(r), *next;
	do {
		next = rmap_next(r);
		hi = r->hi;
		n += region_drop(vm, r);
		r = next;
	} while (r && r->origin == lo && r->lo == hi);
	n += tables_trim(vm, lo, hi, below, r);
	frames_unreserve(n);
}

struct vm *vm_create(void)
{
	struct vm *vm = kzalloc(sizeof *vm);
	if (!vm)
		return NULL;
	vm->pd = pd_alloc();
	if (!vm->pd) {
		kfree(vm);
		return NULL;
	}
	memcpy(vm->pd, kernel_pd, KERNEL_PDES * sizeof *vm->pd);	/* share the kernel's tables */
	mutex_init(&vm->lock, "vm");
	rmap_init(&vm->regions);
	__atomic_add_fetch(&vm_count, 1, __ATOMIC_RELAXED);
	return vm;
}

void vm_destroy(struct vm *vm)
{
	DEBUG_CHECK(check_user_line(vm->pd));
	/* No CPU may keep its directory in CR3 (an idle one keeps the last
	 * space it ran): this one leaves it, the others when shot down. */
	__atomic_store_n(&vm->dying, true, __ATOMIC_SEQ_CST);
	uint32_t flags = read_eflags();
	cli();
	if (vm == vm_on_cpu[cpu_index()])
		vm_switch(cpu_index(), NULL);
	write_eflags(flags);
	shootdown(vm);
	mutex_lock(&vm->lock);
	while (rmap_first(&vm->regions))
		unmap_origin(vm, rmap_first(&vm->regions));
	mutex_unlock(&vm->lock);
	assert(vm->pages == 0 && vm->tables == 0);	/* every table went with its regions */
	kfree(vm->spare);
	memset(vm->pd, 0, KERNEL_PDES * sizeof *vm->pd);
	__atomic_sub_fetch(&vm_count, 1, __ATOMIC_RELAXED);	/* first: mm_check wants dirs >= vms */
	pd_free(vm->pd);
	kfree(vm);
}

static bool valid_range(uintptr_t start, size_t len)
{
	return !(start & PAGE_MASK) && len && !(len & PAGE_MASK) && start >= USER_MEM_START &&
	       len <= UINTPTR_MAX - start + 1;
}

static bool valid_prot(int prot)
{
	return prot == VM_READ || prot == (VM_READ | VM_WRITE);
}

/* Reserve frames for region r's pages and the page tables it needs
 * (one reservation: the task pays for both), make the tables, then add
 * it: 0 or -ENOMEM (then nothing changed). Caller holds vm->lock. */
static int region_add(struct vm *vm, struct region *r)
{
	ASSERT_HELD(&vm->lock);
	if (frames_reserve(r->hi - r->lo + tables_needed(vm, r->lo, r->hi)) < 0)
		return -ENOMEM;
	tables_make(vm, r->lo, r->hi);
	rmap_insert(&vm->regions, r);
	vm->pages += r->hi - r->lo;
	return 0;
}

/* Caller holds vm->lock. */
static int map_locked(struct vm *vm, uint32_t lo, uint32_t hi, int prot, enum vm_kind kind)
{
	ASSERT_HELD(&vm->lock);
	if (rmap_overlaps(&vm->regions, lo, hi))
		return -EEXIST;
	struct region *r = region_new(vm);
	if (!r)
		return -ENOMEM;
	r->lo = r->origin = lo;
	r->hi = hi;
	r->prot = prot;
	r->kind = kind;
	int err = region_add(vm, r);
	if (err)
		region_free(vm, r);
	return err;
}

int vm_map(struct vm *vm, uintptr_t start, size_t len, int prot, enum vm_kind kind)
{
	if (!valid_range(start, len) || !valid_prot(prot) || (unsigned)kind >= VM_KINDS)
		return -EINVAL;
	uint32_t lo = start >> PAGE_SHIFT;
	mutex_lock(&vm->lock);
	int err = map_locked(vm, lo, lo + (len >> PAGE_SHIFT), prot, kind);
	mutex_unlock(&vm->lock);
	return err;
}

int vm_unmap(struct vm *vm, uintptr_t start, enum vm_kind kind)
{
	if ((start & PAGE_MASK) || start < USER_MEM_START)
		return -EINVAL;
	uint32_t lo = start >> PAGE_SHIFT;
	mutex_lock(&vm->lock);
	struct region *r = rmap_find(&vm->regions, lo);
	int err = -EINVAL;
	if (r && r->lo == lo && r->origin == lo && r->kind == kind) {
		unmap_origin(vm, r);
		err = 0;
	}
	mutex_unlock(&vm->lock);
	return err;
}

/* pte_fn: take write permission away. */
static void readonly_page(struct vm *vm, uint32_t pg, uint32_t *pte, uint32_t *pair, void *tlb)
{
	(void)vm;
	(void)pair;
	if (*pte & PTE_W) {
		*pte &= ~PTE_W;
		tlb_note(tlb, pg);
	}
}

/* Make a region boundary at page pg if a region spans it, using *spare.
 * Caller holds vm->lock. */
static void split_at(struct vm *vm, uint32_t pg, struct region **spare)
{
	ASSERT_HELD(&vm->lock);
	struct region *r = rmap_find(&vm->regions, pg);
	if (r && r->lo < pg) {
		rmap_split(&vm->regions, r, pg, *spare);
		*spare = NULL;
	}
}

/* Caller holds vm->lock. Write permission, when granted, reaches the
 * page table lazily: the next write faults and vm_fault sets it. */
static int protect_locked(struct vm *vm, uint32_t lo, uint32_t hi, int prot,
			  struct region **spare)
{
	ASSERT_HELD(&vm->lock);
	if (!rmap_covers(&vm->regions, lo, hi, 0))
		return -EFAULT;
	split_at(vm, lo, &spare[0]);
	split_at(vm, hi, &spare[1]);
	struct tlb_batch tlb = { vm, 0 };
	for (struct region *r = rmap_find(&vm->regions, lo); r && r->lo < hi; r = rmap_next(r)) {
		r->prot = prot;
		if (!(prot & VM_WRITE))
			for_present(vm, NULL, r->lo, r->hi, readonly_page, &tlb);
	}
	tlb_finish(&tlb);
	return 0;
}

int vm_protect(struct vm *vm, uintptr_t start, size_t len, int prot)
{
	if (!valid_range(start, len) || !valid_prot(prot))
		return -EINVAL;
	struct region *spare[2] = { kmalloc(sizeof(struct region)), kmalloc(sizeof(struct region)) };
	int err = -ENOMEM;
	uint32_t lo = start >> PAGE_SHIFT;
	if (!spare[0] || !spare[1])
		goto out;
	mutex_lock(&vm->lock);
	err = protect_locked(vm, lo, lo + (len >> PAGE_SHIFT), prot, spare);
	mutex_unlock(&vm->lock);
out:
	kfree(spare[0]);	/* those the splits did not use */
	kfree(spare[1]);
	return err;
}

/* Give page pg of region r, whose entry is *pte, a frame of its own - a
 * new one (zeroed if zero is set) for an empty or zero-frame page, else
 * the shared frame or a copy of it - mapped with r's permissions. Returns
 * the frame. Caller holds vm->lock and a kmap session. */
static uint32_t page_private(struct vm *vm, struct region *r, uint32_t pg, uint32_t *pte,
			     bool zero)
{
	ASSERT_HELD(&vm->lock);
	ASSERT_HELD(kmap_lock());
	uint32_t e = *pte, pa = e & PTE_ADDR;
	if (!(e & PTE_P) || pa == zero_frame) {
		pa = frame_alloc();
		if (zero)
			page_zero(kmap(KM_DST, pa));	/* interrupts are off: page_zero needs it */
	} else {
		pa = frame_cow(pa);
	}
	bool was = e & PTE_P;
	pte_set(vm, pg, pte, pa | PTE_P | PTE_U | ((r->prot & VM_WRITE) ? PTE_W : 0));
	if (was && pa != (e & PTE_ADDR))
		shootdown(vm);	/* others must not read the old frame on */
	return pa;
}

/* Copy n bytes from physical address pa (at or above 16 MiB) to dst,
 * through KM_SRC, a page of the source at a time. Caller holds a kmap
 * session. */
static void copy_from_phys(char *dst, uint32_t pa, size_t n)
{
	ASSERT_HELD(kmap_lock());
	while (n) {
		uint32_t in = pa & PAGE_MASK;
		size_t k = PAGE_SIZE - in < n ? PAGE_SIZE - in : n;
		memcpy(dst, (const char *)kmap(KM_SRC, pa - in) + in, k);
		dst += k;
		pa += k;
		n -= k;
	}
}

/* Caller holds vm->lock. The bytes come from src, kernel memory (the
 * session forbids faults), or if src is NULL from physical address pa. */
static int write_page(struct vm *vm, uint32_t pg, size_t off, const void *src, uint32_t pa,
		      size_t n)
{
	ASSERT_HELD(&vm->lock);
	struct region *r = rmap_find(&vm->regions, pg);
	if (!r)
		return -EFAULT;
	uint32_t flags = kmap_begin();
	uint32_t frame = page_private(vm, r, pg, pte_map(vm, pg, KM_PT), n < PAGE_SIZE);
	char *dst = (char *)kmap(KM_DST, frame) + off;
	if (src)
		memcpy(dst, src, n);
	else
		copy_from_phys(dst, pa, n);
	kmap_end(flags);
	return 0;
}

/* vm_write and vm_write_phys: src, or if it is NULL physical memory at pa. */
static int write_range(struct vm *vm, uintptr_t va, const char *src, uint32_t pa, size_t len)
{
	if (va < USER_MEM_START || len > UINTPTR_MAX - va + 1)
		return -EFAULT;
	int err = 0;
	mutex_lock(&vm->lock);
	while (len && !err) {
		size_t off = va & PAGE_MASK, n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		err = write_page(vm, va >> PAGE_SHIFT, off, src, pa, n);
		va += n;
		if (src)
			src += n;
		pa += n;
		len -= n;
	}
	mutex_unlock(&vm->lock);
	return err;
}

int vm_write(struct vm *vm, uintptr_t va, const void *src, size_t len)
{
	return write_range(vm, va, src, 0, len);
}

int vm_write_phys(struct vm *vm, uintptr_t va, uint32_t pa, size_t len)
{
	assert(pa >= USER_MEM_START && len <= UINT32_MAX - pa);
	return write_range(vm, va, NULL, pa, len);
}

struct fork_ctx {
	struct vm *child;
	struct tlb_batch tlb;	/* of the parent */
};

/* pte_fn: share a parent's page with the child (*child, still empty),
 * read-only on both sides. */
static void share_page(struct vm *parent, uint32_t pg, uint32_t *pte, uint32_t *child,
		       void *arg)
{
	struct fork_ctx *c = arg;
	uint32_t e = *pte & ~PTE_W;
	(void)parent;
	if (*pte & PTE_W) {
		*pte = e;
		tlb_note(&c->tlb, pg);
	}
	*child = e;	/* the child is not current: no TLB entry to flush */
	c->child->pd[pg / PT_ENTRIES] |= PDE_FILLED;
	if ((e & PTE_ADDR) != zero_frame)
		frame_ref(e & PTE_ADDR);
}

/* Caller holds the parent's lock and the child's. */
static int region_copy(struct fork_ctx *c, struct vm *parent, const struct region *r)
{
	ASSERT_HELD(&parent->lock);
	ASSERT_HELD(&c->child->lock);
	struct region *copy = kmalloc(sizeof *copy);
	if (!copy)
		return -ENOMEM;
	*copy = *r;
	if (region_add(c->child, copy) < 0) {
		kfree(copy);
		return -ENOMEM;
	}
	for_present(parent, c->child, r->lo, r->hi, share_page, c);
	return 0;
}

/* Caller holds the parent's lock and the child's. On failure the caller
 * destroys the child, which gives back what its regions reserved so far. */
static int fork_locked(struct vm *child, struct vm *parent)
{
	ASSERT_HELD(&parent->lock);
	ASSERT_HELD(&child->lock);
	struct fork_ctx c = { child, { parent, 0 } };
	int err = 0;
	for (struct region *r = rmap_first(&parent->regions); r && !err; r = rmap_next(r))
		err = region_copy(&c, parent, r);
	tlb_finish(&c.tlb);
	return err;
}

struct vm *vm_fork(struct vm *parent)
{
	struct vm *child = vm_create();
	if (!child)
		return NULL;
	/* Nobody else sees the child yet, so its lock is free and taking it
	 * cannot deadlock; it is taken only so that every change to a space
	 * is made under that space's lock. */
	mutex_lock(&child->lock);
	mutex_lock(&parent->lock);
	int err = fork_locked(child, parent);
	mutex_unlock(&parent->lock);
	mutex_unlock(&child->lock);
	if (err) {
		vm_destroy(child);
		return NULL;
	}
	DEBUG_CHECK(check_user_line(child->pd));
	return child;
}

/* vm_on_cpu and CR3 change together with interrupts off: a preemption
 * between the two would leave them disagreeing, and the scheduler's
 * "load CR3 only if it changes" test would then keep a wrong CR3. */
void vm_activate(struct vm *vm)
{
	uint32_t flags = read_eflags();
	cli();
	vm_activate_locked(cpu_index(), vm);
	if (flags & EFLAGS_IF)
		sti();
}

/* With other CPUs, a CPU joins vm->cpus before CR3 is loaded (a
 * shootdown that misses it changed the entries before the load), and
 * leaves the old space's only after (a CPU must not run on a directory
 * that may be freed). On one CPU no space records where it is loaded. */
void vm_switch(unsigned me, struct vm *vm)
{
	uint32_t pd = (uint32_t)(vm ? vm->pd : kernel_pd);
	struct vm *old = vm_on_cpu[me];
	if (!vm_smp) {
		vm_on_cpu[me] = vm;
		write_cr3(pd);
		return;
	}
	if (vm)
		__atomic_or_fetch(&vm->cpus, 1u << me, __ATOMIC_SEQ_CST);
	vm_on_cpu[me] = vm;
	write_cr3(pd);
	if (old)
		__atomic_and_fetch(&old->cpus, ~(1u << me), __ATOMIC_SEQ_CST);
}

struct vm *vm_current(void)
{
	uint32_t flags = read_eflags();
	cli();
	struct vm *vm = vm_on_cpu[cpu_index()];
	write_eflags(flags);
	return vm;
}

/* Caller holds vm->lock. What vm_fault returns. */
static int fault_locked(struct vm *vm, uint32_t pg, bool write)
{
	ASSERT_HELD(&vm->lock);
	struct region *r = rmap_find(&vm->regions, pg);
	if (!r || (write && !(r->prot & VM_WRITE)))
		return -EFAULT;
	uint32_t flags = kmap_begin();
	uint32_t *pte = pte_map(vm, pg, KM_PT);
	int kind = VM_FAULT_AGAIN;
	if (!write && !(*pte & PTE_P)) {
		pte_set(vm, pg, pte, zero_frame | PTE_P | PTE_U);	/* reads share the zero frame */
		kind = VM_FAULT_ZERO;
	} else if (write && (*pte & (PTE_P | PTE_W)) != (PTE_P | PTE_W)) {
		bool copy = (*pte & PTE_P) && (*pte & PTE_ADDR) != zero_frame;
		page_private(vm, r, pg, pte, true);
		kind = copy ? VM_FAULT_COW : VM_FAULT_ZFOD;
	}
	kmap_end(flags);
	return kind;
}

int vm_fault(struct vm *vm, uintptr_t addr, uint32_t err)
{
	if (!vm || addr < USER_MEM_START || (err & PF_RSVD))
		return -EFAULT;
	mutex_lock(&vm->lock);
	int ret = fault_locked(vm, addr >> PAGE_SHIFT, err & PF_W);
	mutex_unlock(&vm->lock);
	return ret;
}

/* vm_range_ok for len > 0, with vm's lock held or by the only thread
 * that can change vm's regions. The last region found (the map's hint)
 * usually covers the range: a program's buffers are in a few regions. */
static inline __attribute__((always_inline))
bool range_ok(struct vm *vm, uintptr_t va, size_t len, int prot)
{
	if (!vm || va < USER_MEM_START || len - 1 > UINTPTR_MAX - va)
		return false;
	uint32_t lo = va >> PAGE_SHIFT, hi = ((va + len - 1) >> PAGE_SHIFT) + 1;
	struct region *r = vm->regions.hint;
	if (r && r->lo <= lo && hi <= r->hi && (r->prot & prot) == prot)
		return true;
	return rmap_covers(&vm->regions, lo, hi, prot);
}

bool vm_range_ok(struct vm *vm, uintptr_t va, size_t len, int prot)
{
	if (!len)
		return true;
	mutex_lock(&vm->lock);
	bool ok = range_ok(vm, va, len, prot);
	mutex_unlock(&vm->lock);
	return ok;
}

/* vm_range_ok_alone's walk of the map, when the hint does not cover the
 * range (len > 0). */
bool vm_range_ok_walk(struct vm *vm, uintptr_t va, size_t len, int prot)
{
	return range_ok(vm, va, len, prot);
}

unsigned vm_pages(struct vm *vm)
{
	mutex_lock(&vm->lock);
	unsigned n = vm->pages + vm->tables;
	mutex_unlock(&vm->lock);
	return n;
}
