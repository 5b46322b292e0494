/*
 * kmem.c: kernel pages, kmalloc and kernel stacks (see kmalloc.h, kmem.h).
 *
 * One buddy allocator manages the kernel's pages; the slab heap
 * (mm/heap.c), kernel stacks and page directories all draw on it, under one
 * spinlock (kmem_lock: a leaf, like frames_lock). Kernel memory is
 * identity-mapped, so a page number times PAGE_SIZE is its address.
 */
#include <stdbool.h>
#include "mm/kmalloc.h"
#include "mm/kmem.h"
#include "mm/buddy.h"
#include "mm/heap.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "sync/spinlock.h"
#include "debug/debug.h"

#define PD_CACHE_MAX 32		/* zeroed directories kept (128 KiB at most) */

/*
 * Kernel stacks are cut from 16-page blocks: five slots of a guard page
 * and a KSTACK_SIZE stack, and one page left over (3.2 pages a stack).
 * A 4-page block per stack would waste a page each, and giving that page
 * back lets order-0 allocations settle between the stacks until no
 * 4-page block is left. A block's head page keeps the bitmap of used
 * slots in .use and, while it has a free slot, is on ks_partial through
 * its .next/.prev (the buddy's links, unused while a block is allocated).
 */
#define KS_ORDER	4
#define KS_SLOT_PAGES	3		/* the guard page, then the stack */
#define KS_SLOTS	5
#define KS_FULL		((1u << KS_SLOTS) - 1)

/* Lock tags (docs/sync.md): [b] boot, [l] kmem_lock. */
static struct spinlock kmem_lock = SPINLOCK_INIT("kmem");
static struct bpage kpages[KERNEL_PAGES];	/* [l] */
static struct buddy kbuddy;			/* [l] */
static struct heap kheap;			/* [l] */
static uint16_t pdcache[PD_CACHE_MAX];		/* [l] zeroed pages */
static unsigned npdcache;			/* [l] */
static unsigned npage_dirs, nkstacks;		/* [l] */
static uint16_t ks_partial = BUDDY_NIL;		/* [l] stack blocks with room */
static unsigned nks_blocks;			/* [l] */
static unsigned npages;				/* [b] pages managed */

static void *page_ptr(unsigned pg)
{
	return (void *)(pg * PAGE_SIZE);
}

void kmem_init(const struct prset *ranges)
{
	buddy_init(&kbuddy, kpages, KERNEL_PAGES);
	for (int i = 0; i < ranges->n; i++)
		buddy_add(&kbuddy, ranges->r[i].lo, ranges->r[i].hi - ranges->r[i].lo);
	npages = kbuddy.nfree;
	heap_init(&kheap, &kbuddy, 0);
}

void *kmalloc(size_t n)
{
	uint32_t flags = spin_lock(&kmem_lock);
	void *p = heap_alloc(&kheap, n);
	spin_unlock(&kmem_lock, flags);
	return p;
}

void *kzalloc(size_t n)
{
	void *p = kmalloc(n);
	if (p)
		memset(p, 0, n);
	return p;
}

void kfree(void *p)
{
	uint32_t flags = spin_lock(&kmem_lock);
	heap_free(&kheap, p);
	spin_unlock(&kmem_lock, flags);
}

/* Caller holds kmem_lock (for this and the next two). */
static void ks_push(unsigned blk)
{
	ASSERT_HELD(&kmem_lock);
	kpages[blk].prev = BUDDY_NIL;
	kpages[blk].next = ks_partial;
	if (ks_partial != BUDDY_NIL)
		kpages[ks_partial].prev = blk;
	ks_partial = blk;
}

static void ks_unlink(unsigned blk)
{
	ASSERT_HELD(&kmem_lock);
	struct bpage *b = &kpages[blk];
	if (b->prev != BUDDY_NIL)
		kpages[b->prev].next = b->next;
	else
		ks_partial = b->next;
	if (b->next != BUDDY_NIL)
		kpages[b->next].prev = b->prev;
}

/* A block with a free slot (a new one if needed), or -1. */
static int ks_block(void)
{
	ASSERT_HELD(&kmem_lock);
	if (ks_partial != BUDDY_NIL)
		return ks_partial;
	int blk = buddy_alloc(&kbuddy, KS_ORDER);
	if (blk >= 0) {
		kpages[blk].use = 0;
		ks_push(blk);
		nks_blocks++;
	}
	return blk;
}

void *kstack_alloc(void)
{
	uint32_t flags = spin_lock(&kmem_lock);
	int blk = ks_block();
	if (blk < 0) {
		spin_unlock(&kmem_lock, flags);
		return NULL;
	}
	unsigned slot = __builtin_ctz(~kpages[blk].use & KS_FULL);
	if ((kpages[blk].use |= 1u << slot) == KS_FULL)
		ks_unlink(blk);
	unsigned guard = blk + KS_SLOT_PAGES * slot;
	kpages[guard].tag = BP_GUARD;
	kpages[guard + 1].tag = kpages[guard + 2].tag = BP_KSTACK;
	kernel_page_unmap(guard * PAGE_SIZE);
	nkstacks++;
	spin_unlock(&kmem_lock, flags);
	return page_ptr(guard + 1);
}

/* Is guard the first page of a slot that kstack_alloc handed out? The
 * slot's last page is checked to be in kpages before any tag is read, so
 * a wild pointer reads nothing past it. Caller holds kmem_lock. */
static bool is_kstack_slot(unsigned guard)
{
	unsigned off = guard % (1u << KS_ORDER);
	if (guard > KERNEL_PAGES - KS_SLOT_PAGES)
		return false;
	return kpages[guard].tag == BP_GUARD && kpages[guard + 1].tag == BP_KSTACK &&
	       kpages[guard + 2].tag == BP_KSTACK && off % KS_SLOT_PAGES == 0 &&
	       off < KS_SLOTS * KS_SLOT_PAGES;
}

void kstack_free(void *base)
{
	unsigned guard = (uintptr_t)base / PAGE_SIZE - 1;
	unsigned blk = guard & ~((1u << KS_ORDER) - 1), slot = (guard - blk) / KS_SLOT_PAGES;
	uint32_t flags = spin_lock(&kmem_lock);
	if ((uintptr_t)base % PAGE_SIZE || !is_kstack_slot(guard))
		panic("kstack_free: %p is not a kernel stack", base);
	kernel_page_map(guard * PAGE_SIZE);
	kpages[guard].tag = kpages[guard + 1].tag = kpages[guard + 2].tag = BP_USED;
	if (kpages[blk].use == KS_FULL)
		ks_push(blk);
	kpages[blk].use &= ~(1u << slot);
	nkstacks--;
	if (!kpages[blk].use && (ks_partial != blk || kpages[blk].next != BUDDY_NIL)) {
		ks_unlink(blk);	/* empty, and not the only block with room */
		nks_blocks--;
		buddy_free(&kbuddy, blk, KS_ORDER);
	}
	spin_unlock(&kmem_lock, flags);
}

uint32_t *pd_alloc(void)
{
	uint32_t flags = spin_lock(&kmem_lock);
	bool clean = npdcache > 0;
	int pg = clean ? pdcache[--npdcache] : buddy_alloc(&kbuddy, 0);
	if (pg < 0) {
		spin_unlock(&kmem_lock, flags);
		return NULL;
	}
	kpages[pg].tag = BP_PDIR;
	npage_dirs++;
	spin_unlock(&kmem_lock, flags);
	if (!clean)	/* the page is ours now: zero it outside the lock */
		memset(page_ptr(pg), 0, PAGE_SIZE);
	return page_ptr(pg);
}

void pd_free(uint32_t *pd)
{
	unsigned pg = (uintptr_t)pd / PAGE_SIZE;
	uint32_t flags = spin_lock(&kmem_lock);
	assert(pg < KERNEL_PAGES && kpages[pg].tag == BP_PDIR);
	npage_dirs--;
	if (npdcache < PD_CACHE_MAX) {
		kpages[pg].tag = BP_PDCACHE;
		pdcache[npdcache++] = pg;
	} else {
		buddy_free(&kbuddy, pg, 0);
	}
	spin_unlock(&kmem_lock, flags);
}

void kmem_counts(struct kmem_counts *out)
{
	uint32_t flags = spin_lock(&kmem_lock);
	*out = (struct kmem_counts){ npages, kbuddy.nfree, kheap.bytes, npage_dirs, nkstacks };
	spin_unlock(&kmem_lock, flags);
}

/* Pages per tag, and pages in large blocks. Caller holds kmem_lock. */
static void tally(unsigned *tags, unsigned *large)
{
	ASSERT_HELD(&kmem_lock);
	for (unsigned pg = 0; pg < KERNEL_PAGES; pg++) {
		tags[kpages[pg].tag]++;
		if (kpages[pg].tag == BP_LARGE)
			*large += 1u << kpages[pg].order;
	}
}

/* Pages on the free lists. Caller holds kmem_lock. */
static unsigned listed_free(void)
{
	ASSERT_HELD(&kmem_lock);
	unsigned n = 0;
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		for (unsigned pg = kbuddy.head[k]; pg != BUDDY_NIL && n <= npages;
		     pg = kpages[pg].next)
			n += 1u << k;
	return n;
}

bool kmem_check(void)
{
	unsigned t[BP_GUARD + 1] = { 0 }, large = 0;
	uint32_t flags = spin_lock(&kmem_lock);
	tally(t, &large);
	unsigned listed = listed_free(), bytes = heap_count_bytes(&kheap);
	unsigned sum = kbuddy.nfree + kheap.slabs + kheap.large_pages + npage_dirs +
		       npdcache + (nks_blocks << KS_ORDER);
	bool ok = listed == kbuddy.nfree && t[BP_FREE] == kbuddy.nfree &&
		  t[BP_SLAB] == kheap.slabs && large == kheap.large_pages &&
		  t[BP_PDIR] == npage_dirs && t[BP_PDCACHE] == npdcache &&
		  t[BP_KSTACK] == 2 * nkstacks && t[BP_GUARD] == nkstacks &&
		  t[BP_USED] == (nks_blocks << KS_ORDER) - 3 * nkstacks + large - t[BP_LARGE] &&
		  bytes == kheap.bytes && sum == npages;
	spin_unlock(&kmem_lock, flags);
	if (!ok)
		klog(LOG_ERR, "mm: check: kernel pages: free %u/%u listed/%u tagged, slabs %u/%u, "
		     "large %u/%u, directories %u/%u, kstacks %u/%u, heap bytes %u/%u, sum %u/%u",
		     kbuddy.nfree, listed, t[BP_FREE], kheap.slabs, t[BP_SLAB], kheap.large_pages,
		     large, npage_dirs, t[BP_PDIR], nkstacks, t[BP_KSTACK] / 2, kheap.bytes,
		     bytes, npages, sum);
	return ok;
}
