/*
 * mm.c: bringing the memory system up, and its counters (see mm.h).
 *
 * Boot: the loader's memory map becomes a set of usable page ranges (RAM
 * below 4 GiB minus reserved areas, the kernel image, the RAM disk's bytes,
 * the modules, page 0 and the KMAP window). Pages below 16 MiB are the kernel's pool; the
 * per-frame words of the user pool are carved from it first. Nothing is
 * filled or walked page by page: boot time does not grow with memory.
 */
#include <stdint.h>
#include "mm/mm.h"
#include "mm/frame.h"
#include "mm/fpool.h"
#include "mm/internal.h"
#include "mm/kmem.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "mm/prange.h"
#include "arch/x86/x86.h"
#include "lib/kprintf.h"
#include "lib/panic.h"

extern char __kernel_start[], __kernel_end[];
extern char __ramdisk_start[], __ramdisk_end[];	/* the RAM disk's bytes (kernel/kernel.ld) */

/* Page numbers, clamped to 4 GiB (without PAE we cannot map above). */
static uint32_t pfn_down(uint64_t a)
{
	a >>= PAGE_SHIFT;
	return a < USER_PAGES_END ? a : USER_PAGES_END;
}

static uint32_t pfn_up(uint64_t a)
{
	return pfn_down(a + PAGE_MASK);
}

static void exclude(struct prset *s, uint64_t start, uint64_t end)
{
	if (!prset_sub(s, pfn_down(start), pfn_up(end)))
		panic("mm: memory map too fragmented (over %d ranges)", PRSET_MAX);
}

/*
 * The RAM disk's bytes were loaded at 16 MiB and up with the image
 * (kernel/kernel.ld). Their frames are never handed out, and are not
 * counted among the frames at all: total_frames stays what tasks can
 * use. A machine too small to hold them cannot run anything: say so.
 */
static void reserve_ramdisk(struct prset *s)
{
	uint32_t lo = pfn_down((uintptr_t)__ramdisk_start), hi = pfn_up((uintptr_t)__ramdisk_end);
	struct prset in = *s;
	prset_clip(&in, lo, hi);
	if (prset_pages(&in) != hi - lo)
		panic("mm: the RAM disk's %u KiB at %08x are not all in RAM: "
		      "the machine needs more than %u MiB", (hi - lo) * 4, lo << PAGE_SHIFT,
		      (hi << PAGE_SHIFT) >> 20);
	exclude(s, (uintptr_t)__ramdisk_start, (uintptr_t)__ramdisk_end);
}

/* Whole available pages, minus anything any map entry calls reserved
 * (maps may overlap), minus what is already in use. */
static void usable_ranges(struct prset *s, const struct mem_map *map)
{
	prset_init(s);
	for (int i = 0; i < map->nmem; i++) {
		const struct mem_region *m = &map->mem[i];
		if (m->type == MEM_AVAILABLE && !prset_add(s, pfn_up(m->base), pfn_down(m->base + m->len)))
			klog(LOG_WARN, "mm: memory map too fragmented, range %llx ignored", m->base);
	}
	for (int i = 0; i < map->nmem; i++)
		if (map->mem[i].type != MEM_AVAILABLE)
			exclude(s, map->mem[i].base, map->mem[i].base + map->mem[i].len);
	for (int i = 0; i < map->nmod; i++)
		exclude(s, map->mod[i].start, map->mod[i].end);
	exclude(s, (uintptr_t)__kernel_start, (uintptr_t)__kernel_end);
	reserve_ramdisk(s);
	exclude(s, 0, PAGE_SIZE);
	exclude(s, AP_TRAMPOLINE, AP_TRAMPOLINE + PAGE_SIZE);
	exclude(s, DEV_BASE, USER_MEM_START);	/* device pages, KMAP */
}

/* The user pool's per-frame words, from the start of a low range. */
static uint32_t *frame_map(struct prset *low, const struct prset *user)
{
	uint32_t pages = (fpool_meta_bytes(user) + PAGE_MASK) >> PAGE_SHIFT;
	if (!pages)
		return NULL;	/* no user memory: frames_init will say so */
	uint32_t pfn = prset_take(low, pages);
	if (!pfn)
		panic("mm: no room below 16 MiB for the frame map (%u pages)", pages);
	return (uint32_t *)(pfn << PAGE_SHIFT);
}

void mm_init(const struct mem_map *map)
{
	struct prset low, user;
	usable_ranges(&low, map);
	user = low;
	prset_clip(&low, 0, KERNEL_PAGES);
	prset_clip(&user, KERNEL_PAGES, USER_PAGES_END);
	uint32_t *meta = frame_map(&low, &user);
	paging_init();
	kmem_init(&low);
	frames_init(&user, meta);
	fault_init();
	struct mm_stats s;
	mm_stats(&s);
	klog(LOG_INFO, "mm: frames total=%u free=%u", s.total_frames, s.free_frames);
	klog(LOG_INFO, "mm: kernel pages total=%u free=%u", s.kernel_pages, s.kernel_pages_free);
	klog(LOG_INFO, "mm: RAM disk %u KiB at %08x, not counted in frames",
	     (uint32_t)(__ramdisk_end - __ramdisk_start) >> 10, (uint32_t)(uintptr_t)__ramdisk_start);
}

/* With interrupts off no other thread runs between the two reads (one
 * CPU); SMP will need both locks held at once instead. */
void mm_stats(struct mm_stats *out)
{
	struct frame_counts f;
	struct kmem_counts k;
	uint32_t flags = read_eflags();
	cli();
	frames_counts(&f);
	kmem_counts(&k);
	*out = (struct mm_stats){
		.total_frames = f.total, .free_frames = f.free, .reserved_frames = f.reserved,
		.used_frames = f.used, .heap_bytes_in_use = k.heap_bytes,
		.kernel_pages = k.pages, .kernel_pages_free = k.free_pages,
		.page_tables = __atomic_load_n(&vm_tables, __ATOMIC_RELAXED),
		.page_dirs = k.page_dirs, .kstacks = k.kstacks,
		.vms = __atomic_load_n(&vm_count, __ATOMIC_RELAXED),
		.page_faults = __atomic_load_n(&page_faults, __ATOMIC_RELAXED),
	};
	if (flags & EFLAGS_IF)
		sti();
}

bool mm_check(void)
{
	bool frames_ok = frames_check(), kmem_ok = kmem_check();
	struct mm_stats s;
	mm_stats(&s);
	bool sums_ok = s.used_frames + s.reserved_frames + s.free_frames == s.total_frames &&
		       s.page_dirs >= s.vms && s.page_tables < s.used_frames;
	if (!sums_ok)
		klog(LOG_ERR, "mm: check: frames used %u + reserved %u + free %u != total %u, "
		     "or %u directories for %u address spaces, or %u page tables in %u used frames",
		     s.used_frames, s.reserved_frames, s.free_frames, s.total_frames, s.page_dirs,
		     s.vms, s.page_tables, s.used_frames);
	return frames_ok && kmem_ok && sums_ok;
}
