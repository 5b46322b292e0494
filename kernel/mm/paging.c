/*
 * paging.c: the kernel's map of the low 16 MiB.
 *
 * Identity-mapped, supervisor-only (the directory entries lack PTE_U, so
 * no page table entry can open it to user mode) and global (a CR3 reload
 * when switching address spaces keeps these TLB entries). Page 0 is left
 * out to catch NULL; the kernel's text and read-only data are mapped
 * read-only, which CR0.WP enforces on the kernel itself; the KMAP slots
 * are filled in on demand (mm/kmap.c), the device pages at boot
 * (kernel_device_map).
 *
 * The tables are static: the kernel map never needs memory, and the
 * directory entries that point at them never change after boot.
 */
#include <stddef.h>
#include "mm/paging.h"
#include "arch/x86/x86.h"
#include "lib/panic.h"

extern char __kernel_start[], __data_start[];

/* Lock tags (docs/sync.md): [b] boot. */
uint32_t kernel_pd[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));	/* [b] */
/* [b] built once; later only two kinds of entry change, each under its
 * own lock: KMAP slots (the CPU's kmap lock, mm/kmap.c) and kernel-stack
 * guards (kmem_lock, mm/kmem.c). */
static uint32_t kernel_pt[KERNEL_PDES][PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));

static uint32_t kernel_flags(uintptr_t va)
{
	if (va == 0 || va >= DEV_BASE)
		return 0;
	if (va >= (uintptr_t)__kernel_start && va < (uintptr_t)__data_start)
		return PTE_P | PTE_G;	/* text, rodata, tests, symbols */
	return PTE_P | PTE_W | PTE_G;
}

void paging_init(void)
{
	for (uintptr_t va = 0; va < USER_MEM_START; va += PAGE_SIZE)
		*kernel_pte(va) = va | kernel_flags(va);
	for (unsigned d = 0; d < KERNEL_PDES; d++)
		kernel_pd[d] = (uint32_t)kernel_pt[d] | PTE_P | PTE_W;
	write_cr3((uint32_t)kernel_pd);
	write_cr4(read_cr4() | CR4_PGE);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
}

/* The KMAP window lies in the last kernel page table, so its entries
 * are consecutive. */
_Static_assert(KMAP_BASE >> 22 == (USER_MEM_START - 1) >> 22, "KMAP in one page table");
uint32_t *const kmap_ptes = &kernel_pt[KMAP_BASE >> 22][(KMAP_BASE >> PAGE_SHIFT) % PT_ENTRIES];

uint32_t *kernel_pte(uintptr_t va)
{
	assert(va < USER_MEM_START);
	return &kernel_pt[va >> 22][(va >> PAGE_SHIFT) % PT_ENTRIES];
}

/* The entry is global, so invlpg (not a CR3 reload) must drop it. Other
 * CPUs, once there are any, will need to be told too. */
void kernel_page_unmap(uintptr_t va)
{
	*kernel_pte(va) = 0;
	invlpg(va);
}

static unsigned dev_used;	/* [b] device pages handed out */

/* Gives the n device pages from physical address pa consecutive kernel
 * addresses, mapped uncached (PCD|PWT: a register read must reach the
 * device, and a write must not wait in a cache), or NULL when fewer than
 * n DEV_PAGES are left. Boot only: the entries never change after. */
void *kernel_device_map_pages(uint32_t pa, unsigned n)
{
	if (n == 0 || n > DEV_PAGES - dev_used || (pa & PAGE_MASK) || pa + n * PAGE_SIZE - 1 < pa)
		return NULL;
	uintptr_t va = DEV_BASE + dev_used * PAGE_SIZE;
	for (unsigned i = 0; i < n; i++) {
		*kernel_pte(va + i * PAGE_SIZE) = (pa + i * PAGE_SIZE) | PTE_P | PTE_W | PTE_PWT | PTE_PCD | PTE_G;
		invlpg(va + i * PAGE_SIZE);
	}
	dev_used += n;
	return (void *)va;
}

void *kernel_device_map(uint32_t pa)
{
	return kernel_device_map_pages(pa, 1);
}

/* A page that was not present has no TLB entry to flush. */
void kernel_page_map(uintptr_t va)
{
	*kernel_pte(va) = va | kernel_flags(va);
}
