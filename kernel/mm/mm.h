/*
 * mm.h: the memory system as a whole: bring-up, counters, self-check.
 * The parts: mm/kmalloc.h (kernel memory), mm/frame.h (user frames),
 * mm/vm.h (address spaces), mm/usercopy.h (user memory access).
 * docs/memory.md tells the story.
 */
#ifndef MM_MM_H
#define MM_MM_H

#include <stdbool.h>
#include <stdint.h>

#define BOOT_MAX_REGIONS 32
#define BOOT_MAX_MODULES 8

enum { MEM_AVAILABLE = 1 };	/* Multiboot memory-map type of usable RAM */

struct mem_region {
	uint64_t base, len;
	uint32_t type;
};

struct boot_module {
	uint32_t start, end;	/* physical, [start, end) */
};

/* The machine's memory as the loader described it (boot/bootinfo.c
 * fills it in), and the modules it loaded into that memory. */
struct mem_map {
	struct mem_region mem[BOOT_MAX_REGIONS];
	int nmem;
	struct boot_module mod[BOOT_MAX_MODULES];
	int nmod;
};

/* Frames, kernel heap, kernel page tables, paging on, the page-fault
 * handler, from the usable RAM of map. Call with interrupts off, after
 * the console is up. */
void mm_init(const struct mem_map *map);

/* One consistent snapshot of the counters (kstat, tests). */
struct mm_stats {
	unsigned total_frames;		/* user frames (physical memory >= 16 MiB) */
	unsigned free_frames;		/* neither in use nor reserved */
	unsigned reserved_frames;	/* promised to region pages, not yet used */
	unsigned used_frames;		/* in use, the shared zero frame included */
	unsigned page_tables;		/* user frames that are page tables (in used) */
	unsigned heap_bytes_in_use;	/* kmalloc, sizes rounded up to their class */
	unsigned kernel_pages;		/* pages of kernel memory (below 16 MiB) */
	unsigned kernel_pages_free;
	unsigned page_dirs;		/* kernel pages: address spaces' directories */
	unsigned kstacks;
	unsigned vms;			/* address spaces */
	unsigned page_faults;		/* #PF exceptions since boot */
};

/* Fill out with one consistent snapshot of the counters. */
void mm_stats(struct mm_stats *out);

/* Recount everything the counters claim (walks all kernel pages and the
 * free frame list): true if all adds up; logs what does not. */
bool mm_check(void);

#endif
