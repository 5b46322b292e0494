/*
 * layout.h: where things are in the 32-bit address space
 * (docs/abi/memory.md §1), as seen by every address space:
 *
 *   0x00000000  page 0, never mapped (catches NULL in the kernel)
 *   0x00001000  low memory, BIOS areas (identity-mapped, supervisor)
 *   0x00100000  the kernel image, then the kernel's page pool: heap,
 *               kernel stacks, page tables, the frame map
 *   0x00FD8000  DEV: device registers (MMIO), mapped uncached
 *   0x00FF0000  KMAP: per-CPU temporary mappings of user frames
 *   0x01000000  USER_MEM_START: user space, up to 0xFFFFFFFF
 *
 * Usable from C and assembly. docs/memory.md has the full picture.
 */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#include <fable/page.h>	/* PAGE_SIZE */
#define PAGE_SHIFT	12
#define PAGE_MASK	(PAGE_SIZE - 1)

#define USER_MEM_START	0x01000000u	/* first user byte; the kernel owns below */
#define KERNEL_PAGES	(USER_MEM_START >> PAGE_SHIFT)	/* 4096 identity-mapped pages */
#define USER_PAGES_END	0x100000u	/* one past the last page number of 4 GiB */
#define PT_ENTRIES	1024u		/* entries in a page table or directory */
#define KERNEL_PDES	(KERNEL_PAGES / PT_ENTRIES)	/* 4 directory entries */

/* Temporary mappings: KMAP_SLOTS pages per CPU at the top of kernel space
 * (the physical frames under them are left unused). */
#define MAX_CPUS	8
#define KMAP_SLOTS	4		/* two page tables, a source and a destination */
#define KMAP_BASE	(USER_MEM_START - MAX_CPUS * KMAP_SLOTS * PAGE_SIZE)

/* The page below 1 MiB where application processors start in real mode
 * (boot/trampoline.S); mm_init never hands it out. */
#define AP_TRAMPOLINE	0x8000

/* Device pages: MMIO registers above 16 MiB get a kernel address here,
 * just below KMAP (the frames under them unused), because user space owns
 * every address above 16 MiB. One page each for the local APIC and the
 * I/O APIC, six for the e1000's registers (dev/e1000.c, E1000_MAP_PAGES). */
#define DEV_PAGES	8
#define DEV_BASE	(KMAP_BASE - DEV_PAGES * PAGE_SIZE)

#endif
