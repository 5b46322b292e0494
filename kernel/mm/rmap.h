/*
 * rmap.h: the map of an address space's regions, kept as a list sorted
 * by address, with a hint (the last region found) that makes the common
 * lookups - the same or the next region - O(1).
 *
 * A process has a handful of regions (text, rodata, data, bss, stack and
 * its new_pages calls), so a list beats a tree on size and on speed; a
 * task that makes thousands of regions only slows down its own lookups.
 *
 * Regions are in page numbers, [lo, hi), so the last page of the address
 * space (hi = 2^20) needs no special case. Pure logic: the caller owns
 * the nodes (allocation can fail before anything changes) and the lock.
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/list.h"

/* Lock tags (docs/sync.md): [v] vm->lock, of the address space the
 * regions belong to (a fork's child: held before anyone sees it). */
struct region {
	struct list_node link;		/* [v] in the map: sorted, disjoint */
	uint32_t lo, hi;		/* [v] pages [lo, hi) */
	uint32_t origin;		/* [v] lo of the vm_map call that made it */
	uint8_t prot;			/* [v] VM_READ | VM_WRITE */
	uint8_t kind;			/* [v] enum vm_kind */
};

struct rmap {
	struct list list;	/* [v] of regions, the lowest first */
	struct region *hint;	/* [v], or its task's only thread (mm/vm.c,
				 * vm_range_ok_alone): last region found, or NULL */
	unsigned count;		/* [v] */
};

/* The lowest region, or NULL. */
static inline struct region *rmap_first(const struct rmap *m)
{
	return list_first(&m->list, struct region, link);
}

/* The region above r in its map, or NULL. */
static inline struct region *rmap_next(const struct region *r)
{
	return list_entry_or_null(r->link.next, struct region, link);
}

/* The region below r in its map, or NULL. */
static inline struct region *rmap_prev(const struct region *r)
{
	return list_entry_or_null(r->link.prev, struct region, link);
}

void rmap_init(struct rmap *m);
/* The region holding page pg, or NULL. */
struct region *rmap_find(struct rmap *m, uint32_t pg);
/* The first region that ends above pg (it may start above pg), or NULL. */
struct region *rmap_from(struct rmap *m, uint32_t pg);
/* Does any region intersect pages [lo, hi)? */
bool rmap_overlaps(struct rmap *m, uint32_t lo, uint32_t hi);
/* Do regions cover every page of [lo, hi), all allowing prot? */
bool rmap_covers(struct rmap *m, uint32_t lo, uint32_t hi, unsigned prot);
/* Insert r; it must not overlap any region. */
void rmap_insert(struct rmap *m, struct region *r);
void rmap_remove(struct rmap *m, struct region *r);
/* Split r at page pg (r->lo < pg < r->hi): r keeps [lo, pg), spare
 * becomes [pg, hi) with r's other fields. Returns spare. */
struct region *rmap_split(struct rmap *m, struct region *r, uint32_t pg, struct region *spare);

#endif
