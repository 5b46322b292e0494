/*
 * bootinfo.c: read the Multiboot v1 information structure (Multiboot
 * specification 0.6.96, section 3.3) into struct bootinfo.
 */
#include "boot/bootinfo.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "lib/string.h"

#define MBI_MEM     (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS    (1u << 3)
#define MBI_MMAP    (1u << 6)
#define MBI_LOADER  (1u << 9)

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name;
} __attribute__((packed));

struct mb_mmap {
	uint32_t size;		/* of the rest of this entry */
	uint64_t base, len;
	uint32_t type;
} __attribute__((packed));

struct mb_module {
	uint32_t start, end, string, reserved;
};

struct bootinfo bootinfo;

static void add_region(uint64_t base, uint64_t len, uint32_t type)
{
	if (bootinfo.map.nmem < BOOT_MAX_REGIONS)
		bootinfo.map.mem[bootinfo.map.nmem++] = (struct mem_region){ base, len, type };
}

static void read_mmap(const struct mb_info *mb)
{
	uint32_t p = mb->mmap_addr, end = mb->mmap_addr + mb->mmap_length;
	while (p + sizeof(struct mb_mmap) <= end) {
		const struct mb_mmap *e = (const struct mb_mmap *)p;
		add_region(e->base, e->len, e->type);
		p += e->size + sizeof(e->size);
	}
}

void bootinfo_init(uint32_t magic, uint32_t mbi)
{
	if (magic != MB_BOOT_MAGIC)
		panic("not booted by a Multiboot loader (magic %08x)", magic);
	const struct mb_info *mb = (const struct mb_info *)mbi;
	if (mb->flags & MBI_MMAP)
		read_mmap(mb);
	else if (mb->flags & MBI_MEM) {	/* no map: the two classic ranges */
		add_region(0, (uint64_t)mb->mem_lower << 10, MEM_AVAILABLE);
		add_region(0x100000, (uint64_t)mb->mem_upper << 10, MEM_AVAILABLE);
	}
	if (mb->flags & MBI_MODS) {
		const struct mb_module *m = (const struct mb_module *)mb->mods_addr;
		for (uint32_t i = 0; i < mb->mods_count && i < BOOT_MAX_MODULES; i++)
			bootinfo.map.mod[bootinfo.map.nmod++] = (struct boot_module){ m[i].start, m[i].end };
	}
	if (mb->flags & MBI_LOADER)
		strlcpy(bootinfo.loader, (const char *)mb->boot_loader_name, sizeof bootinfo.loader);
	const char *cmd = (mb->flags & MBI_CMDLINE) ? (const char *)mb->cmdline : "";
	if (cmdline_parse(&bootinfo.cmd, cmd) < 0)
		klog(LOG_WARN, "boot: command line too long, truncated");
}

void bootinfo_print(void)
{
	klog(LOG_INFO, "boot: loader \"%s\", %d memory regions, %d modules",
	     bootinfo.loader, bootinfo.map.nmem, bootinfo.map.nmod);
	for (int i = 0; i < bootinfo.map.nmem; i++) {
		const struct mem_region *r = &bootinfo.map.mem[i];
		klog(LOG_INFO, "boot:   %09llx-%09llx %s", r->base, r->base + r->len - 1,
		     r->type == MEM_AVAILABLE ? "available" : "reserved");
	}
}
