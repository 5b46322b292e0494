/*
 * kmem.h: the pool of kernel pages (physical 0-16 MiB), inside mm/.
 * kmalloc.h is its public face; the address-space code also takes page
 * directories from it here. (The page tables that map user space are user
 * frames, paid for by their address spaces: mm/frame.h, mm/vm.c.)
 */
#ifndef MM_KMEM_H
#define MM_KMEM_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/layout.h"
#include "mm/prange.h"

struct kmem_counts {
	unsigned pages;		/* kernel pages managed */
	unsigned free_pages;	/* in free buddy blocks */
	unsigned heap_bytes;	/* kmalloc bytes in use (sizes rounded to their class) */
	unsigned page_dirs;	/* page directories of address spaces */
	unsigned kstacks;	/* kernel stacks */
};

/* Manage the pages in ranges (all below 16 MiB). */
void kmem_init(const struct prset *ranges);
/* A zeroed page for a page directory, or NULL. Freed directories are
 * all zero, so a few are kept to be handed out without zeroing them
 * again. */
uint32_t *pd_alloc(void);
/* Free a page directory; every entry must be zero. */
void pd_free(uint32_t *pd);
void kmem_counts(struct kmem_counts *out);
/* Recount pages by kind and heap bytes: do they match the counters? */
bool kmem_check(void);

#endif
