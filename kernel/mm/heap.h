/*
 * heap.h: the allocator behind kmalloc (mm/kmalloc.h), as pure logic.
 *
 * Small objects (up to HEAP_MAX_SMALL bytes) come from slabs: pages cut
 * into equal objects of one power-of-two size class, with a header
 * holding a bitmap of free objects. Larger requests get whole buddy
 * blocks. kfree finds the kind of a pointer from its page's tag, so every
 * pointer is checked: a pointer that is not the start of an allocated
 * object panics ("bad free"), and so does freeing one twice.
 *
 * With HEAP_POISON, freed memory is filled with HEAP_POISON_BYTE and
 * checked when it is handed out again, so a write after free is caught.
 *
 * No locks here: mm/kmem.c serialises calls.
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include <stddef.h>
#include <stdint.h>
#include "lib/list.h"
#include "mm/buddy.h"

#ifndef HEAP_POISON
#define HEAP_POISON 1		/* debug builds: build with -DHEAP_POISON=0 to drop it */
#endif
#define HEAP_POISON_BYTE 0x6B

#define HEAP_MIN_SHIFT	4	/* smallest class: 16 bytes */
#define HEAP_CLASSES	7	/* 16, 32, ..., 1024 */
#define HEAP_MAX_SMALL	(1u << (HEAP_MIN_SHIFT + HEAP_CLASSES - 1))

struct heap {
	struct buddy *pages;	/* where slabs and large blocks come from */
	uintptr_t base;		/* address of page 0 of pages (0: identity map) */
	struct list partial[HEAP_CLASSES];	/* slabs with a free object */
	unsigned bytes;		/* in use: class sizes and whole large blocks */
	unsigned slabs;		/* pages used as slabs */
	unsigned large_pages;	/* pages in large blocks */
};

void heap_init(struct heap *h, struct buddy *pages, uintptr_t base);
/* n bytes, 16-byte aligned (large blocks: page-aligned), or NULL. */
void *heap_alloc(struct heap *h, size_t n);
/* Free p (NULL is ignored); panics on a bad or double free. */
void heap_free(struct heap *h, void *p);
/* Recount the bytes in use from the slabs and blocks themselves. */
unsigned heap_count_bytes(const struct heap *h);

#endif
