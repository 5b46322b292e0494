/*
 * test_rmap.c: the region map (mm/rmap.c) against a model: a bitmap
 * of which region owns every page of a small address space. Random
 * inserts (refused when they overlap), removals and splits; after each
 * step every lookup, overlap and coverage query must agree with the model.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "kernel/mm/rmap.c"

#define SPACE 512	/* pages in the model; a few tests use the top of 2^20 */
#define MAXR 128

static int failures;

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

#define CHECK(e) \
	((e) ? (void)0 : (void)(failures++, fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e)))

static struct rmap m;
static struct region nodes[MAXR];
static int used[MAXR];		/* node i is in the map */
static int owner[SPACE];	/* model: node index + 1, or 0 */

static int free_node(void)
{
	for (int i = 0; i < MAXR; i++)
		if (!used[i])
			return i;
	return -1;
}

static int model_overlaps(uint32_t lo, uint32_t hi)
{
	for (uint32_t p = lo; p < hi; p++)
		if (owner[p])
			return 1;
	return 0;
}

static void try_insert(void)
{
	int i = free_node();
	uint32_t lo = rand() % SPACE, len = 1 + rand() % 24;
	uint32_t hi = lo + len > SPACE ? SPACE : lo + len;
	if (i < 0)
		return;
	CHECK(rmap_overlaps(&m, lo, hi) == model_overlaps(lo, hi));
	if (model_overlaps(lo, hi))
		return;
	nodes[i] = (struct region){ .lo = lo, .hi = hi, .origin = lo, .prot = rand() % 2 ? 1 : 3 };
	rmap_insert(&m, &nodes[i]);
	used[i] = 1;
	for (uint32_t p = lo; p < hi; p++)
		owner[p] = i + 1;
}

static void try_remove(void)
{
	int i = rand() % MAXR;
	if (!used[i])
		return;
	rmap_remove(&m, &nodes[i]);
	used[i] = 0;
	for (uint32_t p = nodes[i].lo; p < nodes[i].hi; p++)
		owner[p] = 0;
}

static void try_split(void)
{
	int i = rand() % MAXR, j = free_node();
	if (!used[i] || j < 0 || nodes[i].hi - nodes[i].lo < 2)
		return;
	uint32_t pg = nodes[i].lo + 1 + rand() % (nodes[i].hi - nodes[i].lo - 1);
	struct region *s = rmap_split(&m, &nodes[i], pg, &nodes[j]);
	CHECK(s == &nodes[j] && s->lo == pg && nodes[i].hi == pg);
	CHECK(s->origin == nodes[i].origin && s->prot == nodes[i].prot);
	used[j] = 1;
	for (uint32_t p = pg; p < s->hi; p++)
		owner[p] = j + 1;
}

/* The list is sorted, disjoint, counted; lookups agree with the model. */
static void verify(void)
{
	unsigned n = 0;
	for (struct region *r = rmap_first(&m); r; r = rmap_next(r), n++) {
		struct region *next = rmap_next(r);
		CHECK(r->lo < r->hi);
		CHECK(!next || (r->hi <= next->lo && next->link.prev == &r->link));
		CHECK(next || m.list.tail == &r->link);
	}
	CHECK(m.list.head ? m.list.head->prev == NULL : m.list.tail == NULL);
	CHECK(n == m.count);
	for (uint32_t p = 0; p < SPACE; p += 1 + rand() % 5) {
		struct region *r = rmap_find(&m, p);
		CHECK(owner[p] ? r == &nodes[owner[p] - 1] : r == NULL);
	}
	uint32_t lo = rand() % SPACE, hi = lo + 1 + rand() % 8;
	if (hi > SPACE)
		hi = SPACE;
	int covered = 1, writable = 1;
	for (uint32_t p = lo; p < hi; p++) {
		covered &= owner[p] != 0;
		writable &= owner[p] != 0 && (nodes[owner[p] - 1].prot & 2);
	}
	CHECK(rmap_covers(&m, lo, hi, 1) == covered);
	CHECK(rmap_covers(&m, lo, hi, 2) == writable);
}

static void test_random(void)
{
	rmap_init(&m);
	for (int step = 0; step < 20000; step++) {
		switch (rand() % 4) {
		case 0: case 1: try_insert(); break;
		case 2: try_remove(); break;
		case 3: try_split(); break;
		}
		verify();
	}
}

/* The last page of the 32-bit space and regions touching each other. */
static void test_edges(void)
{
	struct region a = { .lo = 0xFFFF0, .hi = 0x100000, .prot = 3 };
	struct region b = { .lo = 0xFFFE0, .hi = 0xFFFF0, .prot = 1 };
	struct region c = { .lo = 0x1000, .hi = 0x1001, .prot = 3 };
	rmap_init(&m);
	rmap_insert(&m, &a);
	rmap_insert(&m, &c);
	rmap_insert(&m, &b);
	CHECK(rmap_first(&m) == &c && rmap_next(&c) == &b && rmap_next(&b) == &a && !rmap_next(&a));
	CHECK(rmap_find(&m, 0xFFFFF) == &a && rmap_find(&m, 0xFFFEF) == &b);
	CHECK(rmap_find(&m, 0x1001) == NULL && rmap_find(&m, 0xFFF) == NULL);
	CHECK(rmap_covers(&m, 0xFFFE0, 0x100000, 1) && !rmap_covers(&m, 0xFFFE0, 0x100000, 2));
	CHECK(rmap_overlaps(&m, 0xFFFFF, 0x100000) && !rmap_overlaps(&m, 0x1001, 0xFFFE0));
	CHECK(rmap_from(&m, 0x1001) == &b);
	rmap_remove(&m, &b);
	CHECK(!rmap_covers(&m, 0xFFFE0, 0x100000, 1) && m.count == 2);
	rmap_remove(&m, &a);
	rmap_remove(&m, &c);
	CHECK(list_empty(&m.list) && m.count == 0 && rmap_find(&m, 0x1000) == NULL);
}

int main(void)
{
	srand(2);
	test_random();
	test_edges();
	if (failures)
		printf("test_rmap: %d failures\n", failures);
	return failures != 0;
}
