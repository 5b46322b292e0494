/*
 * heap.c: slabs for small objects, buddy blocks for large ones (see heap.h).
 *
 * A slab is one page: a header (struct slab), then objects of one size
 * class. The header's bitmap says which objects are free, which makes
 * both the choice of a free object (first set bit, at most 8 words) and
 * the double-free check exact and O(1). A slab that becomes empty goes
 * back to the buddy allocator unless it is the last one with room in its
 * class (which avoids thrashing on alloc/free pairs).
 */
#include <stdbool.h>
#include "mm/heap.h"
#include "mm/layout.h"
#include "lib/panic.h"
#include "lib/string.h"

#define SLAB_WORDS 8	/* bitmap words: PAGE_SIZE / 16 objects at most */

struct slab {
	struct list_node link;		/* in partial[cls] while it has a free object */
	uint16_t cls;			/* size class */
	uint16_t nfree;			/* free objects */
	uint32_t free[SLAB_WORDS];	/* bit i set: object i is free */
};

/* Objects start after the header, 16-byte aligned. */
#define SLAB_HDR ((sizeof(struct slab) + 15) & ~(size_t)15)

static unsigned obj_shift(unsigned cls)
{
	return HEAP_MIN_SHIFT + cls;
}

static unsigned obj_size(unsigned cls)
{
	return 1u << obj_shift(cls);
}

static unsigned nobjs(unsigned cls)
{
	return (PAGE_SIZE - SLAB_HDR) >> obj_shift(cls);
}

static void *page_addr(const struct heap *h, unsigned pg)
{
	return (void *)(h->base + (uintptr_t)pg * PAGE_SIZE);
}

static void poison(void *p, size_t n)
{
	if (HEAP_POISON)
		memset(p, HEAP_POISON_BYTE, n);
}

/* A poisoned object handed out again must still be all poison. */
static void check_poison(const void *p, unsigned size)
{
	const uint32_t *w = p;
	for (unsigned i = 0; HEAP_POISON && i < size / 4; i++)
		if (w[i] != HEAP_POISON_BYTE * 0x01010101u)
			panic("kmalloc: %p (%u-byte object) was written after it was freed",
			      (const void *)w, size);
}

void heap_init(struct heap *h, struct buddy *pages, uintptr_t base)
{
	*h = (struct heap){ .pages = pages, .base = base };
}

static struct slab *slab_new(struct heap *h, unsigned cls)
{
	int pg = buddy_alloc(h->pages, 0);
	if (pg < 0)
		return NULL;
	h->pages->page[pg].tag = BP_SLAB;
	struct slab *s = page_addr(h, pg);
	s->cls = cls;
	s->nfree = nobjs(cls);
	for (unsigned w = 0; w < SLAB_WORDS; w++) {
		unsigned bits = s->nfree > 32 * w ? s->nfree - 32 * w : 0;
		s->free[w] = bits >= 32 ? ~0u : (1u << bits) - 1;
	}
	poison((char *)s + SLAB_HDR, s->nfree * obj_size(cls));
	list_push_front(&h->partial[cls], &s->link);
	h->slabs++;
	return s;
}

static void *slab_alloc(struct heap *h, unsigned cls)
{
	struct slab *s = list_first(&h->partial[cls], struct slab, link);
	if (!s)
		s = slab_new(h, cls);
	if (!s)
		return NULL;
	unsigned w = 0;
	while (!s->free[w])
		w++;
	unsigned i = 32 * w + __builtin_ctz(s->free[w]);
	s->free[w] &= ~(1u << (i % 32));
	if (--s->nfree == 0)
		list_remove(&h->partial[cls], &s->link);
	h->bytes += obj_size(cls);
	void *p = (char *)s + SLAB_HDR + i * obj_size(cls);
	check_poison(p, obj_size(cls));
	return p;
}

static void slab_release(struct heap *h, struct slab *s)
{
	list_remove(&h->partial[s->cls], &s->link);
	h->slabs--;
	buddy_free(h->pages, ((uintptr_t)s - h->base) / PAGE_SIZE, 0);
}

static void slab_free(struct heap *h, struct slab *s, void *p)
{
	unsigned size = obj_size(s->cls);
	uintptr_t off = (uintptr_t)p - (uintptr_t)s - SLAB_HDR;
	unsigned i = off >> obj_shift(s->cls);
	if ((uintptr_t)p < (uintptr_t)s + SLAB_HDR || (off & (size - 1)) || i >= nobjs(s->cls))
		panic("kfree: %p is not the start of an object (%u-byte slab at %p)", p, size,
		      (void *)s);
	if (s->free[i / 32] & (1u << (i % 32)))
		panic("kfree: double free of %p (%u-byte object)", p, size);
	poison(p, size);
	s->free[i / 32] |= 1u << (i % 32);
	h->bytes -= size;
	if (++s->nfree == 1)
		list_push_front(&h->partial[s->cls], &s->link);
	else if (s->nfree == nobjs(s->cls) && (s->link.prev || s->link.next))
		slab_release(h, s);	/* empty, and not the last slab with room */
}

static void *large_alloc(struct heap *h, size_t n)
{
	size_t pages = n / PAGE_SIZE + (n % PAGE_SIZE != 0);
	unsigned order = 0;
	while (order < BUDDY_ORDERS && (1u << order) < pages)
		order++;
	if (order == BUDDY_ORDERS)
		return NULL;
	int pg = buddy_alloc(h->pages, order);
	if (pg < 0)
		return NULL;
	h->pages->page[pg].tag = BP_LARGE;
	h->bytes += PAGE_SIZE << order;
	h->large_pages += 1u << order;
	return page_addr(h, pg);
}

static void large_free(struct heap *h, unsigned pg, void *p)
{
	if (p != page_addr(h, pg))
		panic("kfree: %p is inside a large block, not at its start", p);
	unsigned order = h->pages->page[pg].order;
	poison(p, PAGE_SIZE << order);
	h->bytes -= PAGE_SIZE << order;
	h->large_pages -= 1u << order;
	buddy_free(h->pages, pg, order);
}

void *heap_alloc(struct heap *h, size_t n)
{
	if (n > HEAP_MAX_SMALL)
		return large_alloc(h, n);
	/* The class of n: the bits of n - 1 above the smallest size. */
	unsigned bits = n > 1 ? 32 - __builtin_clz(n - 1) : 0;
	return slab_alloc(h, bits > HEAP_MIN_SHIFT ? bits - HEAP_MIN_SHIFT : 0);
}

void heap_free(struct heap *h, void *p)
{
	if (!p)
		return;
	uintptr_t a = (uintptr_t)p;
	if (a < h->base || (a - h->base) / PAGE_SIZE >= h->pages->npages)
		panic("kfree: %p is not a heap pointer", p);
	unsigned pg = (a - h->base) / PAGE_SIZE;
	switch (h->pages->page[pg].tag) {
	case BP_SLAB:
		slab_free(h, page_addr(h, pg), p);
		break;
	case BP_LARGE:
		large_free(h, pg, p);
		break;
	case BP_FREE:
		panic("kfree: %p is in a free page (double free?)", p);
	default:
		panic("kfree: %p is not a heap pointer", p);
	}
}

unsigned heap_count_bytes(const struct heap *h)
{
	unsigned sum = 0;
	for (unsigned pg = 0; pg < h->pages->npages; pg++) {
		const struct bpage *bp = &h->pages->page[pg];
		const struct slab *s = page_addr(h, pg);
		if (bp->tag == BP_SLAB)
			sum += (nobjs(s->cls) - s->nfree) * obj_size(s->cls);
		else if (bp->tag == BP_LARGE)
			sum += PAGE_SIZE << bp->order;
	}
	return sum;
}
