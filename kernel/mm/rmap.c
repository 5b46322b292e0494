/*
 * rmap.c: the sorted region map (see rmap.h).
 */
#include <stddef.h>
#include "mm/rmap.h"
#include "lib/panic.h"

void rmap_init(struct rmap *m)
{
	list_init(&m->list);
	m->hint = NULL;
	m->count = 0;
}

/* Start at the hint when it is not past pg: lookups tend to repeat. */
struct region *rmap_from(struct rmap *m, uint32_t pg)
{
	struct region *r = m->hint;
	if (!r || r->lo > pg)
		r = rmap_first(m);
	while (r && r->hi <= pg)
		r = rmap_next(r);
	if (r)
		m->hint = r;
	return r;
}

struct region *rmap_find(struct rmap *m, uint32_t pg)
{
	struct region *r = rmap_from(m, pg);
	return r && r->lo <= pg ? r : NULL;
}

bool rmap_overlaps(struct rmap *m, uint32_t lo, uint32_t hi)
{
	struct region *r = rmap_from(m, lo);
	return r && r->lo < hi;
}

bool rmap_covers(struct rmap *m, uint32_t lo, uint32_t hi, unsigned prot)
{
	struct region *r = rmap_find(m, lo);
	while (r && r->lo <= lo && (r->prot & prot) == prot) {
		if (r->hi >= hi)
			return true;
		lo = r->hi;
		r = rmap_next(r);
	}
	return false;
}

/* The region below next, or the highest one if next is NULL; NULL if none. */
static struct region *below(const struct rmap *m, const struct region *next)
{
	struct list_node *n = next ? next->link.prev : m->list.tail;
	return list_entry_or_null(n, struct region, link);
}

/* The successor is the first region ending above r->lo (rmap_from, which
 * usually starts at the hint that the overlap check just left). */
void rmap_insert(struct rmap *m, struct region *r)
{
	struct region *next = rmap_from(m, r->lo);
	struct region *prev = below(m, next);
	assert(r->lo < r->hi && (!next || r->hi <= next->lo) && (!prev || prev->hi <= r->lo));
	list_insert_before(&m->list, next ? &next->link : NULL, &r->link);
	m->count++;
}

void rmap_remove(struct rmap *m, struct region *r)
{
	if (m->hint == r)
		m->hint = below(m, r);
	list_remove(&m->list, &r->link);
	m->count--;
}

struct region *rmap_split(struct rmap *m, struct region *r, uint32_t pg, struct region *spare)
{
	assert(r->lo < pg && pg < r->hi);
	*spare = *r;
	spare->lo = pg;
	r->hi = pg;
	list_insert_before(&m->list, r->link.next, &spare->link);
	m->count++;
	return spare;
}
