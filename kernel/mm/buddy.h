/*
 * buddy.h: a binary buddy allocator over a small array of pages (the
 * kernel's 4096 pages of low memory). Blocks are 2^order pages, aligned to
 * their size. All bookkeeping lives in the bpage array, never in the pages
 * themselves, so the allocator touches no page it manages.
 *
 * Pure logic, without locks: the owner (mm/kmem.c) serialises calls.
 */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include <stdint.h>

#define BUDDY_ORDERS	11	/* blocks of 1 .. 1024 pages (4 MiB) */
#define BUDDY_NIL	0xFFFFu

/* What a page is: the buddy's own states, then its owners' kinds. */
enum bp_tag {
	BP_RESERVED,	/* not managed (hole, kernel image, ...) */
	BP_FREE,	/* in a free block; the head is on a free list */
	BP_USED,	/* allocated, owner did not say what for */
	BP_SLAB,	/* kmalloc slab page (mm/heap.c) */
	BP_LARGE,	/* head of a large kmalloc block */
	BP_PDIR,	/* page directory of an address space */
	BP_PDCACHE,	/* all-zero page kept for the next page directory */
	BP_KSTACK,	/* head of a kernel stack (2 pages) */
	BP_GUARD,	/* unmapped guard page below a kernel stack */
};

struct bpage {
	uint16_t next, prev;	/* free-list links of a free block's head; the owner's while allocated */
	uint8_t order;		/* of the block this page heads */
	uint8_t tag;		/* enum bp_tag */
	uint16_t use;		/* owner's counter: used slots of a kernel stack block */
};

struct buddy {
	struct bpage *page;	/* one per page */
	unsigned npages;	/* at most BUDDY_NIL */
	uint16_t head[BUDDY_ORDERS];	/* free lists, one per order */
	unsigned nfree;		/* pages in free blocks */
};

/* Start with every page BP_RESERVED. */
void buddy_init(struct buddy *b, struct bpage *pages, unsigned npages);
/* Make pages [first, first + n) free (they must be BP_RESERVED). */
void buddy_add(struct buddy *b, unsigned first, unsigned n);
/* A block of 2^order pages, tagged BP_USED: its first page, or -1. */
int buddy_alloc(struct buddy *b, unsigned order);
/* Free the block of 2^order pages at page (allocated, aligned); it may be
 * part of a larger allocated block. Panics on a double free. */
void buddy_free(struct buddy *b, unsigned page, unsigned order);

#endif
