/*
 * frame.c: user frames with their lock (see frame.h, mm/fpool.h).
 */
#include "mm/frame.h"
#include "arch/x86/x86.h"
#include "mm/fpool.h"
#include "mm/kmap.h"
#include "mm/layout.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "sync/spinlock.h"
#include "debug/debug.h"

/* Lock tags (docs/sync.md): [b] boot, [l] frames_lock. */
uint32_t zero_frame;		/* [b] */
static struct fpool pool;	/* [l] */
static struct spinlock frames_lock = SPINLOCK_INIT("frames");

/* Fill the frame at pa with zeros, in a kmap session of its own (so the
 * caller must not be in one). */
static void frame_zero(uint32_t pa)
{
	uint32_t flags = kmap_begin();
	page_zero(kmap(KM_DST, pa));	/* interrupts are off: page_zero needs it */
	kmap_end(flags);
}

void frames_init(const struct prset *ranges, uint32_t *meta)
{
	fpool_init(&pool, ranges, meta);
	if (frames_reserve(1) < 0)
		panic("mm: no memory above 16 MiB for user pages");
	zero_frame = frame_alloc();
	frame_zero(zero_frame);
}

int frames_reserve(unsigned n)
{
	uint32_t flags = spin_lock(&frames_lock);
	bool ok = fpool_reserve(&pool, n);
	spin_unlock(&frames_lock, flags);
	return ok ? 0 : -ENOMEM;
}

void frames_unreserve(unsigned n)
{
	uint32_t flags = spin_lock(&frames_lock);
	fpool_unreserve(&pool, n);
	spin_unlock(&frames_lock, flags);
}

/* Caller holds frames_lock. The reservation rule means one is free. */
static uint32_t take_locked(void)
{
	ASSERT_HELD(&frames_lock);
	uint32_t pfn = fpool_take(&pool);
	if (!pfn)
		panic("frames: none free for a reserved page (accounting broken)");
	return pfn << PAGE_SHIFT;
}

uint32_t frame_alloc(void)
{
	uint32_t flags = spin_lock(&frames_lock);
	uint32_t pa = take_locked();
	spin_unlock(&frames_lock, flags);
	return pa;
}

uint32_t frame_alloc_zeroed(void)
{
	uint32_t flags = spin_lock(&frames_lock);
	uint32_t pa = fpool_take_clean(&pool) << PAGE_SHIFT;
	bool clean = pa != 0;
	if (!clean)
		pa = take_locked();
	spin_unlock(&frames_lock, flags);
	if (!clean)	/* the frame is ours now: zero it outside the lock */
		frame_zero(pa);
	return pa;
}

void frame_ref(uint32_t pa)
{
	uint32_t flags = spin_lock(&frames_lock);
	fpool_ref(&pool, pa >> PAGE_SHIFT);
	spin_unlock(&frames_lock, flags);
}

void frame_put(uint32_t pa)
{
	uint32_t flags = spin_lock(&frames_lock);
	fpool_put(&pool, pa >> PAGE_SHIFT);
	spin_unlock(&frames_lock, flags);
}

void frame_free_table(uint32_t pa)
{
	uint32_t flags = spin_lock(&frames_lock);
	fpool_put_clean(&pool, pa >> PAGE_SHIFT);
	spin_unlock(&frames_lock, flags);
}

/* The copy is made under frames_lock: between deciding to copy (the
 * frame is shared) and dropping our reference, another address space
 * could drop its own, free the frame and let it be reused under us. */
uint32_t frame_cow(uint32_t pa)
{
	uint32_t flags = spin_lock(&frames_lock);
	uint32_t copy = pa;
	if (fpool_refs(&pool, pa >> PAGE_SHIFT) > 1) {
		copy = take_locked();
		memcpy(kmap(KM_DST, copy), kmap(KM_SRC, pa), PAGE_SIZE);
		fpool_put(&pool, pa >> PAGE_SHIFT);
	}
	spin_unlock(&frames_lock, flags);
	return copy;
}

unsigned frame_refs(uint32_t pa)
{
	uint32_t flags = spin_lock(&frames_lock);
	unsigned n = fpool_refs(&pool, pa >> PAGE_SHIFT);
	spin_unlock(&frames_lock, flags);
	return n;
}

void frames_counts(struct frame_counts *out)
{
	uint32_t flags = spin_lock(&frames_lock);
	out->total = pool.total;
	out->used = pool.used;
	out->free = pool.avail;
	out->reserved = pool.total - pool.used - pool.avail;
	spin_unlock(&frames_lock, flags);
}

bool frames_check(void)
{
	uint32_t flags = spin_lock(&frames_lock);
	uint32_t found = fpool_count_free(&pool);
	bool ok = found == pool.total - pool.used && pool.used + pool.avail <= pool.total;
	spin_unlock(&frames_lock, flags);
	if (!ok)
		klog(LOG_ERR, "mm: check: %u free frames found, counters say %u", found,
		     pool.total - pool.used);
	return ok;
}
