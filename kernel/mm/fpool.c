/*
 * fpool.c: the user frame pool (see fpool.h).
 */
#include "mm/fpool.h"
#include "lib/panic.h"

size_t fpool_meta_bytes(const struct prset *r)
{
	return r->n ? (size_t)(r->r[r->n - 1].hi - r->r[0].lo) * sizeof(uint32_t) : 0;
}

/* Only the holes' words are written: the rest is set as frames go out. */
void fpool_init(struct fpool *p, const struct prset *r, uint32_t *meta)
{
	p->ranges = *r;
	p->meta = meta;
	p->base = r->n ? r->r[0].lo : 0;
	p->n = fpool_meta_bytes(r) / sizeof(uint32_t);
	p->cur = 0;
	p->bump = p->base;
	p->free_head = p->clean_head = FP_NIL;
	p->total = p->avail = prset_pages(r);
	p->used = 0;
	for (int i = 0; i + 1 < r->n; i++)
		for (uint32_t f = r->r[i].hi; f < r->r[i + 1].lo; f++)
			meta[f - p->base] = 0;
}

/* The meta word of a frame in use; anything else is a kernel bug. */
static uint32_t *in_use(const struct fpool *p, uint32_t pfn)
{
	uint32_t *m = (pfn - p->base < p->n && pfn < p->bump) ? &p->meta[pfn - p->base] : NULL;
	if (!m || *m == 0 || (*m & FP_FREE))
		panic("frames: frame %05x is not in use", pfn);
	return m;
}

/* The next never-used frame, moving to the next range as one runs out. */
static uint32_t bump_take(struct fpool *p)
{
	const struct prset *r = &p->ranges;
	while (p->cur < r->n && p->bump >= r->r[p->cur].hi)
		if (++p->cur < r->n)
			p->bump = r->r[p->cur].lo;
	return p->cur < r->n ? p->bump++ : 0;
}

/* The first frame of the list at *head, or 0 if it is empty. */
static uint32_t list_pop(struct fpool *p, uint32_t *head)
{
	uint32_t pfn = *head;
	if (pfn == FP_NIL)
		return 0;
	*head = p->meta[pfn - p->base] & ~FP_FREE;
	return pfn;
}

/* Hand out pfn (taken off a list or the bump range), if any. */
static uint32_t hand_out(struct fpool *p, uint32_t pfn)
{
	if (!pfn)
		return 0;
	p->meta[pfn - p->base] = 1;
	p->used++;
	assert(p->used + p->avail <= p->total);	/* never more than was promised */
	return pfn;
}

/* Clean frames go last: they save the next page table a zeroing. */
uint32_t fpool_take(struct fpool *p)
{
	uint32_t pfn = list_pop(p, &p->free_head);
	if (!pfn)
		pfn = bump_take(p);
	if (!pfn)
		pfn = list_pop(p, &p->clean_head);
	return hand_out(p, pfn);
}

uint32_t fpool_take_clean(struct fpool *p)
{
	return hand_out(p, list_pop(p, &p->clean_head));
}

void fpool_ref(struct fpool *p, uint32_t pfn)
{
	uint32_t *m = in_use(p, pfn);
	assert(*m < FP_FREE - 1);
	++*m;
}

/* Caller dropped the last reference to pfn, whose word is m. */
static void list_push(struct fpool *p, uint32_t *head, uint32_t *m, uint32_t pfn)
{
	*m = FP_FREE | *head;
	*head = pfn;
	p->used--;
}

bool fpool_put(struct fpool *p, uint32_t pfn)
{
	uint32_t *m = in_use(p, pfn);
	if (--*m)
		return false;
	list_push(p, &p->free_head, m, pfn);
	return true;
}

void fpool_put_clean(struct fpool *p, uint32_t pfn)
{
	uint32_t *m = in_use(p, pfn);
	assert(*m == 1);	/* a clean frame is nobody's any more */
	list_push(p, &p->clean_head, m, pfn);
}

uint32_t fpool_refs(const struct fpool *p, uint32_t pfn)
{
	return *in_use(p, pfn);
}

bool fpool_reserve(struct fpool *p, uint32_t n)
{
	if (p->avail < n)
		return false;
	p->avail -= n;
	return true;
}

void fpool_unreserve(struct fpool *p, uint32_t n)
{
	p->avail += n;
	assert(p->avail >= n && p->used + p->avail <= p->total);	/* gave back more than it had */
}

/* Frames on the list at head (stops past total, should it loop). */
static uint32_t list_count(const struct fpool *p, uint32_t head)
{
	uint32_t n = 0;
	for (uint32_t f = head; f != FP_NIL && n <= p->total; n++)
		f = p->meta[f - p->base] & ~FP_FREE;
	return n;
}

uint32_t fpool_count_free(const struct fpool *p)
{
	uint32_t n = list_count(p, p->free_head) + list_count(p, p->clean_head);
	for (int i = p->cur; i < p->ranges.n; i++) {
		const struct prange *r = &p->ranges.r[i];
		n += r->hi - (i == p->cur ? p->bump : r->lo);
	}
	return n;
}
