/*
 * kmap.c: per-CPU temporary mappings (see kmap.h).
 *
 * A slot's entry keeps pointing at its last frame after use: mapping the
 * same frame again costs nothing, and a different one costs one entry
 * write and one invlpg. (invlpg also drops global entries, and only this
 * CPU ever uses these slots, so no other TLB can hold them.)
 */
#include "mm/kmap.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "sync/spinlock.h"

struct kmap_cpu {
	struct spinlock lock;	/* held while the slots are in use */
};

static struct kmap_cpu cpus[MAX_CPUS] = {
	[0 ... MAX_CPUS - 1] = { SPINLOCK_INIT("kmap") },
};

/* The CPU we run on. There is one until SMP comes; then this reads the
 * per-CPU id (and the spinlock already keeps us on this CPU). */
static inline unsigned this_cpu(void)
{
	return 0;
}

/* Point slot of this CPU at frame pa; caller holds this CPU's lock. */
static void *slot_map(unsigned slot, uint32_t pa)
{
	uintptr_t va = KMAP_BASE + (this_cpu() * KMAP_SLOTS + slot) * PAGE_SIZE;
	uint32_t *pte = kernel_pte(va);
	uint32_t want = pa | PTE_P | PTE_W;
	assert(!(pa & PAGE_MASK) && pa >= USER_MEM_START);
	if ((*pte & ~(PTE_A | PTE_D)) != want) {	/* the CPU sets those two */
		*pte = want;
		invlpg(va);
	}
	return (void *)va;
}

void frame_zero(uint32_t pa)
{
	uint32_t flags = spin_lock(&cpus[this_cpu()].lock);
	page_zero(slot_map(0, pa));	/* interrupts are off: page_zero needs it */
	spin_unlock(&cpus[this_cpu()].lock, flags);
}

void frame_copy(uint32_t dst, uint32_t src)
{
	uint32_t flags = spin_lock(&cpus[this_cpu()].lock);
	memcpy(slot_map(0, dst), slot_map(1, src), PAGE_SIZE);
	spin_unlock(&cpus[this_cpu()].lock, flags);
}

void frame_write(uint32_t pa, size_t off, const void *src, size_t n)
{
	assert(off <= PAGE_SIZE && n <= PAGE_SIZE - off);
	uint32_t flags = spin_lock(&cpus[this_cpu()].lock);
	memcpy((char *)slot_map(0, pa) + off, src, n);
	spin_unlock(&cpus[this_cpu()].lock, flags);
}

void frame_read(void *dst, uint32_t pa, size_t off, size_t n)
{
	assert(off <= PAGE_SIZE && n <= PAGE_SIZE - off);
	uint32_t flags = spin_lock(&cpus[this_cpu()].lock);
	memcpy(dst, (char *)slot_map(0, pa) + off, n);
	spin_unlock(&cpus[this_cpu()].lock, flags);
}
