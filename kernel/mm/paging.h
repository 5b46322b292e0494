/*
 * paging.h: x86 two-level page tables (Intel SDM vol. 3A, 4.3) and the
 * kernel's own map of the low 16 MiB, which every address space shares.
 */
#ifndef MM_PAGING_H
#define MM_PAGING_H

#include <stdint.h>
#include "mm/layout.h"

/* Page directory and page table entry bits. */
#define PTE_P		0x001u	/* present */
#define PTE_W		0x002u	/* writable */
#define PTE_U		0x004u	/* user may access */
#define PTE_PWT		0x008u	/* write-through */
#define PTE_PCD		0x010u	/* cache disabled */
#define PTE_A		0x020u	/* accessed: set by the CPU when it uses the entry */
#define PTE_D		0x040u	/* dirty: set by the CPU when it writes the page */
#define PTE_G		0x100u	/* global: survives CR3 reloads */
#define PTE_ADDR	0xFFFFF000u

/* Page-fault error code bits. */
#define PF_P	0x1u	/* 1: protection violation, 0: page not present */
#define PF_W	0x2u	/* the access was a write */
#define PF_U	0x4u	/* the access came from user mode */
#define PF_RSVD	0x8u	/* a reserved bit was set in a paging entry */

/* The kernel's page directory: the low 16 MiB and nothing else. Address
 * spaces copy its KERNEL_PDES entries, so all of them share the kernel's
 * page tables (and changes to those are seen everywhere at once). */
extern uint32_t kernel_pd[PT_ENTRIES];

/* Build the kernel map and turn paging on, with CR0.WP and CR4.PGE. */
void paging_init(void);
/* The kernel page table entry of va (va < USER_MEM_START). */
uint32_t *kernel_pte(uintptr_t va);
/* The entries of the KMAP window, MAX_CPUS * KMAP_SLOTS of them in a row:
 * kmap_remap writes them without kernel_pte's arithmetic and checks, as
 * every remap of every page-table walk, fork and RAM-disk read pays it. */
extern uint32_t *const kmap_ptes;
/* Unmap or map back (identity, writable) the kernel page at va. */
void kernel_page_unmap(uintptr_t va);
void kernel_page_map(uintptr_t va);
/* A kernel address for the device page at pa, uncached; boot only. */
void *kernel_device_map(uint32_t pa);
/* ... for n consecutive device pages from pa (a device's registers). */
void *kernel_device_map_pages(uint32_t pa, unsigned n);

#endif
