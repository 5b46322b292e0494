/*
 * prange.c: sorted sets of page ranges (see prange.h).
 */
#include "mm/prange.h"

void prset_init(struct prset *s)
{
	s->n = 0;
}

static void remove_at(struct prset *s, int i)
{
	for (; i + 1 < s->n; i++)
		s->r[i] = s->r[i + 1];
	s->n--;
}

static bool insert_at(struct prset *s, int i, struct prange r)
{
	if (s->n == PRSET_MAX)
		return false;
	for (int j = s->n; j > i; j--)
		s->r[j] = s->r[j - 1];
	s->r[i] = r;
	s->n++;
	return true;
}

bool prset_add(struct prset *s, uint32_t lo, uint32_t hi)
{
	if (lo >= hi)
		return true;
	int i = 0;
	while (i < s->n && s->r[i].hi < lo)
		i++;
	if (i == s->n || s->r[i].lo > hi)	/* touches nothing: a new range */
		return insert_at(s, i, (struct prange){ lo, hi });
	struct prange *r = &s->r[i];
	r->lo = lo < r->lo ? lo : r->lo;
	r->hi = hi > r->hi ? hi : r->hi;
	while (i + 1 < s->n && s->r[i + 1].lo <= r->hi) {	/* swallow neighbours */
		r->hi = s->r[i + 1].hi > r->hi ? s->r[i + 1].hi : r->hi;
		remove_at(s, i + 1);
	}
	return true;
}

bool prset_sub(struct prset *s, uint32_t lo, uint32_t hi)
{
	for (int i = 0; lo < hi && i < s->n; i++) {
		struct prange *r = &s->r[i];
		if (r->hi <= lo || r->lo >= hi)
			continue;
		if (r->lo < lo && r->hi > hi) {	/* a hole in the middle */
			if (!insert_at(s, i + 1, (struct prange){ hi, r->hi }))
				return false;
			s->r[i].hi = lo;
			return true;
		}
		if (r->lo < lo)
			r->hi = lo;
		else if (r->hi > hi)
			r->lo = hi;
		else
			remove_at(s, i--);
	}
	return true;
}

/* Trimming at the ends never splits, so it cannot fail. */
void prset_clip(struct prset *s, uint32_t lo, uint32_t hi)
{
	prset_sub(s, 0, lo);
	prset_sub(s, hi, UINT32_MAX);
}

uint32_t prset_take(struct prset *s, uint32_t n)
{
	for (int i = 0; i < s->n; i++) {
		struct prange *r = &s->r[i];
		if (r->hi - r->lo < n)
			continue;
		uint32_t first = r->lo;
		r->lo += n;
		if (r->lo == r->hi)
			remove_at(s, i);
		return first;
	}
	return 0;
}

uint32_t prset_pages(const struct prset *s)
{
	uint32_t n = 0;
	for (int i = 0; i < s->n; i++)
		n += s->r[i].hi - s->r[i].lo;
	return n;
}
