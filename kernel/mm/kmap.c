/*
 * kmap.c: per-CPU temporary mappings (see kmap.h).
 *
 * A slot's entry keeps pointing at its last frame after use, and the CPU
 * remembers which: mapping the same frame again costs a compare, and a
 * different one costs one entry write and one invlpg. (invlpg also drops
 * global entries, and only this CPU ever uses these slots, so no other
 * TLB can hold them.) A stale entry is harmless: a slot is only used
 * through kmap, which points it first.
 */
#include "mm/kmap.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "lib/panic.h"

struct kmap_cpu kmap_cpus[MAX_CPUS] = {
	[0 ... MAX_CPUS - 1] = { SPINLOCK_INIT("kmap") },
};
uint32_t kmap_pa[MAX_CPUS * KMAP_SLOTS];

void kmap_remap(unsigned i, uint32_t pa)
{
	assert(kmap_cpus[i / KMAP_SLOTS].lock.locked && !(pa & PAGE_MASK) &&
	       pa >= USER_MEM_START);
	kmap_ptes[i] = pa | PTE_P | PTE_W;
	invlpg(KMAP_BASE + i * PAGE_SIZE);
	kmap_pa[i] = pa;
}
