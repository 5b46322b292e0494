/*
 * bootinfo.h: what the Multiboot loader told us, copied out of its
 * structures (which live in memory the frame allocator will reuse).
 */
#ifndef BOOT_BOOTINFO_H
#define BOOT_BOOTINFO_H

#include <stdint.h>
#include "lib/cmdline.h"
#include "mm/mm.h"	/* struct mem_map: what mm_init reads */

#define MB_BOOT_MAGIC 0x2BADB002

struct bootinfo {
	struct mem_map map;
	char loader[64];
	struct cmdline cmd;
};

/* Lock tags (docs/sync.md): [b] boot. */
extern struct bootinfo bootinfo;	/* [b] filled once, then read-only */

/* Copy the Multiboot information at mbi; panics if magic is wrong. */
void bootinfo_init(uint32_t magic, uint32_t mbi);
void bootinfo_print(void);

#endif
