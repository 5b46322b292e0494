/*
 * bootinfo.h: what the Multiboot loader told us, copied out of its
 * structures (which live in memory the frame allocator will reuse).
 */
#ifndef BOOT_BOOTINFO_H
#define BOOT_BOOTINFO_H

#include <stdint.h>
#include "lib/cmdline.h"

#define MB_BOOT_MAGIC 0x2BADB002
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

struct bootinfo {
	struct mem_region mem[BOOT_MAX_REGIONS];
	int nmem;
	struct boot_module mod[BOOT_MAX_MODULES];
	int nmod;
	char loader[64];
	struct cmdline cmd;
};

/* Lock tags (docs/sync.md): [b] boot. */
extern struct bootinfo bootinfo;	/* [b] filled once, then read-only */

/* Copy the Multiboot information at mbi; panics if magic is wrong. */
void bootinfo_init(uint32_t magic, uint32_t mbi);
void bootinfo_print(void);

#endif
