/*
 * region.c: the sorted region list (see region.h).
 */
#include <stddef.h>
#include "mm/region.h"
#include "lib/panic.h"

void rmap_init(struct rmap *m)
{
	m->head = m->tail = m->hint = NULL;
	m->count = 0;
}

/* Start at the hint when it is not past pg: lookups tend to repeat. */
struct region *rmap_from(struct rmap *m, uint32_t pg)
{
	struct region *r = (m->hint && m->hint->lo <= pg) ? m->hint : m->head;
	while (r && r->hi <= pg)
		r = r->next;
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
		r = r->next;
	}
	return false;
}

/* The successor is the first region ending above r->lo (rmap_from, which
 * usually starts at the hint that the overlap check just left). */
void rmap_insert(struct rmap *m, struct region *r)
{
	struct region *next = rmap_from(m, r->lo);
	struct region *prev = next ? next->prev : m->tail;
	assert(r->lo < r->hi && (!next || r->hi <= next->lo) && (!prev || prev->hi <= r->lo));
	r->prev = prev;
	r->next = next;
	if (prev)
		prev->next = r;
	else
		m->head = r;
	if (next)
		next->prev = r;
	else
		m->tail = r;
	m->count++;
}

void rmap_remove(struct rmap *m, struct region *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		m->head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		m->tail = r->prev;
	if (m->hint == r)
		m->hint = r->prev;
	m->count--;
}

struct region *rmap_split(struct rmap *m, struct region *r, uint32_t pg, struct region *spare)
{
	assert(r->lo < pg && pg < r->hi);
	*spare = *r;
	spare->lo = pg;
	r->hi = pg;
	spare->prev = r;
	if (r->next)
		r->next->prev = spare;
	else
		m->tail = spare;
	r->next = spare;
	m->count++;
	return spare;
}
