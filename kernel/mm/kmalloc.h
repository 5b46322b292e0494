/*
 * kmalloc.h: kernel memory. Everything the kernel allocates lives in the
 * low 16 MiB (identity-mapped in every address space): kmalloc'd
 * objects, kernel stacks and page tables. None of these calls sleeps,
 * and they may be called with interrupts off.
 */
#ifndef MM_KMALLOC_H
#define MM_KMALLOC_H

#include <stddef.h>

#define KSTACK_SIZE 8192	/* a kernel stack; page-aligned, with a guard below */

/* n bytes, 16-byte aligned, or NULL when kernel memory is exhausted.
 * Objects up to 1 KiB come from slabs, larger ones from whole pages
 * (rounded up to a power of two pages; at most 4 MiB). */
void *kmalloc(size_t n);
/* kmalloc, then zero. */
void *kzalloc(size_t n);
/* Free p (NULL is ignored). Panics, naming p, if p is not the start of a
 * live kmalloc block (bad free or double free). */
void kfree(void *p);

/* A KSTACK_SIZE kernel stack (its base: the lowest address), or NULL.
 * The page below it is unmapped, so an overflow faults instead of
 * silently overwriting a neighbour. */
void *kstack_alloc(void);
void kstack_free(void *base);

#endif
