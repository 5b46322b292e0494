/*
 * kmem.h: the pool of kernel pages (physical 0-16 MiB), inside mm/.
 * kmalloc.h is its public face; the address-space code also takes page
 * tables from it here.
 */
#ifndef MM_KMEM_H
#define MM_KMEM_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/buddy.h"
#include "mm/layout.h"
#include "mm/prange.h"

struct kmem_counts {
	unsigned pages;		/* kernel pages managed */
	unsigned free_pages;	/* in free buddy blocks */
	unsigned heap_bytes;	/* kmalloc bytes in use (sizes rounded to their class) */
	unsigned page_tables;	/* page tables and directories of address spaces */
	unsigned kstacks;	/* kernel stacks */
};

/* Manage the pages in ranges (all below 16 MiB). */
void kmem_init(const struct prset *ranges);
/* A zeroed page for a page table or directory, or NULL. Freed page
 * tables are all zero, so a few are kept to be handed out without
 * zeroing them again. */
uint32_t *pt_alloc(void);
/* Free a page table; every entry must be zero. */
void pt_free(uint32_t *pt);
/* Every kernel page's state (mm/buddy.h); only .use may be touched
 * outside mm/kmem.c, by pt_used. */
extern struct bpage kpages[KERNEL_PAGES];

/* The count of present entries of page table pt, kept by its owner
 * (under the owning address space's lock). */
static inline uint16_t *pt_used(uint32_t *pt)
{
	return &kpages[(uintptr_t)pt >> PAGE_SHIFT].use;
}
void kmem_counts(struct kmem_counts *out);
/* Recount pages by kind and heap bytes: do they match the counters? */
bool kmem_check(void);

#endif
