/*
 * test_ulib_malloc.c: the user allocator (user/lib/malloc/malloc.c) on a
 * fake heap: a host buffer whose pages are "mapped" one by one by a fake
 * new_pages, with some pages already taken (so the heap has holes) and a
 * page budget (to run out of memory). Unmapped pages are poisoned for
 * ASan, so the allocator touching one is caught.
 *
 * Random malloc/calloc/realloc/free sequences are checked against a model
 * (every live block keeps its own byte pattern, nothing overlaps), and
 * the block structure is walked and checked after every step.
 */
#include <sanitizer/asan_interface.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "user/lib/malloc/malloc.c"

#define PAGES 600

static char *arena;			/* PAGES pages, page-aligned */
static char taken[PAGES];		/* pages another region holds */
static char mapped[PAGES];
static int budget = -1;			/* pages left to map; -1: no limit */
static jmp_buf corrupt_jmp;
static int expect_corrupt;
static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

char *heap_base(void)
{
	return arena;
}

int heap_map_page(char *addr)
{
	long i = (addr - arena) / HEAP_PAGE;
	CHECK((addr - arena) % HEAP_PAGE == 0 && i >= 0);
	if (i >= PAGES || taken[i] || budget == 0)
		return -1;
	CHECK(!mapped[i]);
	if (budget > 0)
		budget--;
	mapped[i] = 1;
	ASAN_UNPOISON_MEMORY_REGION(addr, HEAP_PAGE);
	memset(addr, 0, HEAP_PAGE);	/* new_pages gives zeroed pages */
	return 0;
}

void heap_corrupt(const char *op, void *ptr)
{
	(void)op, (void)ptr;
	if (!expect_corrupt) {
		printf("unexpected heap_corrupt(%s, %p)\n", op, ptr);
		abort();
	}
	longjmp(corrupt_jmp, 1);
}

/* Walk one segment [start, end): returns its free block count. */
static int walk_segment(char *start, char *end)
{
	struct block *b = (struct block *)(start + ALIGN - HDR);
	int prev_free = 0, nfree = 0;
	while ((char *)b != end - HDR) {
		size_t size = size_of(b);
		int is_free = !(b->head & USED);
		CHECK(size >= MIN_BLOCK && size % ALIGN == 0 && (char *)b + size <= end - HDR);
		CHECK((b->head & PREV_USED) == (prev_free ? 0 : PREV_USED));
		CHECK(!(is_free && prev_free));		/* fully merged */
		if (is_free)
			CHECK(*footer(b) == size);
		nfree += is_free;
		prev_free = is_free;
		if (size < MIN_BLOCK || (char *)b + size > end - HDR)
			return nfree;
		b = after(b);
	}
	CHECK(b->head == (USED | (prev_free ? 0 : PREV_USED)));	/* the epilogue */
	return nfree;
}

/* Every segment is well formed and the free lists hold exactly its free
 * blocks, each in its size class. */
static void check_heap(void)
{
	int nfree = 0, listed = 0;
	for (int i = 0; i < PAGES; i++) {
		if (!mapped[i] || (i > 0 && mapped[i - 1]))
			continue;
		int j = i;
		while (j < PAGES && mapped[j])
			j++;
		nfree += walk_segment(arena + i * HEAP_PAGE, arena + j * HEAP_PAGE);
	}
	for (int k = 0; k < NCLASSES; k++) {
		for (struct block *b = heap.free[k]; b; b = b->next) {
			CHECK(!(b->head & USED) && class_of(size_of(b)) == k);
			CHECK(b->next == NULL || b->next->prev == b);
			listed++;
		}
	}
	CHECK(nfree == listed);
}

#define LIVE 256

struct live {
	unsigned char *p;
	size_t size;
	unsigned char tag;
};

static struct live live[LIVE];

static void fill(struct live *l)
{
	memset(l->p, l->tag, l->size);
}

static int intact(const struct live *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (l->p[i] != l->tag)
			return 0;
	return 1;
}

static size_t random_size(void)
{
	switch (rand() % 8) {
	case 0: return rand() % 4;
	case 1: return rand() % (3 * HEAP_PAGE);
	default: return rand() % 200;
	}
}

static void check_new(struct live *l)
{
	CHECK(((uintptr_t)l->p & (ALIGN - 1)) == 0);
	CHECK(l->p >= (unsigned char *)arena && l->p + l->size <= (unsigned char *)arena + PAGES * HEAP_PAGE);
}

/* One random step on slot l; a failed allocation leaves the slot empty. */
static void step(struct live *l)
{
	if (l->p && !intact(l, l->size)) {
		failures++;
		printf("block %p (%zu bytes) was overwritten\n", (void *)l->p, l->size);
	}
	int op = rand() % 3;
	if (l->p && op == 0) {
		_free(l->p);
		l->p = NULL;
		return;
	}
	size_t size = random_size();
	if (l->p) {
		unsigned char *p = _realloc(l->p, size);
		size_t keep = size < l->size ? size : l->size;
		if (!p && size)
			return;	/* out of memory: the old block stays */
		l->p = p;
		CHECK(size == 0 || intact(l, keep));
	} else {
		l->p = op == 1 ? _calloc(1, size) : _malloc(size);
		if (l->p && op == 1)
			for (size_t i = 0; i < size; i++)
				CHECK(l->p[i] == 0);
	}
	l->size = size;
	l->tag = (unsigned char)(l - live) ^ (unsigned char)rand();
	if (l->p) {
		check_new(l);
		fill(l);
	}
}

static void random_run(int steps)
{
	for (int i = 0; i < steps; i++) {
		step(&live[rand() % LIVE]);
		if (i % 25 == 0)
			check_heap();
	}
	for (int i = 0; i < LIVE; i++) {
		CHECK(!live[i].p || intact(&live[i], live[i].size));
		_free(live[i].p);
		live[i].p = NULL;
	}
	check_heap();
}

/* With everything freed, each segment is one free block. */
static void check_all_free(void)
{
	int segments = 0, blocks = 0;
	for (int i = 0; i < PAGES; i++)
		segments += mapped[i] && (i == 0 || !mapped[i - 1]);
	for (int k = 0; k < NCLASSES; k++)
		for (struct block *b = heap.free[k]; b; b = b->next)
			blocks++;
	CHECK(blocks == segments);
	if (blocks != segments)
		printf("%d free blocks in %d segments\n", blocks, segments);
}

static int corrupt_caught(void (*bad)(void *), void *p)
{
	expect_corrupt = 1;
	if (setjmp(corrupt_jmp)) {
		expect_corrupt = 0;
		return 1;
	}
	bad(p);
	expect_corrupt = 0;
	return 0;
}

static void free_it(void *p)
{
	_free(p);
}

static void realloc_it(void *p)
{
	_realloc(p, 10);
}

static void test_edges(void)
{
	void *a = _malloc(0), *b = _malloc(0);
	CHECK(a && b && a != b);
	_free(NULL);
	CHECK(_realloc(a, 0) == NULL);
	char *c = _realloc(NULL, 5);
	CHECK(c != NULL);
	memcpy(c, "abcd", 5);
	c = _realloc(c, 3000);		/* grows (in place or moved) keeping the bytes */
	CHECK(c && strcmp(c, "abcd") == 0);
	c = _realloc(c, 2);		/* shrinks in place */
	CHECK(c && c[0] == 'a' && c[1] == 'b');
	CHECK(_malloc((size_t)-1) == NULL && _malloc((size_t)-1 / 2) == NULL);
	CHECK(_calloc((size_t)-1 / 2, 4) == NULL && _calloc(4, (size_t)-1 / 2) == NULL);
	CHECK(_realloc(c, (size_t)-1) == NULL && c[0] == 'a');
	CHECK(corrupt_caught(free_it, c + 1));		/* not a block */
	CHECK(corrupt_caught(free_it, arena + PAGES * HEAP_PAGE - 64));
	char *d = _malloc(40);
	_free(d);
	CHECK(corrupt_caught(free_it, d));		/* freed twice */
	CHECK(corrupt_caught(realloc_it, d));
	_free(b);
	_free(c);
	check_heap();
	check_all_free();
}

/* Run out of pages, free everything, and go on. */
static void test_out_of_memory(void)
{
	static void *p[PAGES];
	int n = 0;
	budget = 20;
	while (n < PAGES && (p[n] = _malloc(HEAP_PAGE / 2)))
		n++;
	CHECK(n > 0 && n < PAGES && budget == 0);
	CHECK(_malloc(HEAP_PAGE) == NULL);
	check_heap();
	while (n--)
		_free(p[n]);
	check_heap();
	check_all_free();
	budget = -1;
	CHECK((p[0] = _malloc(50 * HEAP_PAGE)) != NULL);	/* grows again */
	_free(p[0]);
	check_heap();
}

int main(void)
{
	arena = aligned_alloc(HEAP_PAGE, PAGES * HEAP_PAGE);
	ASAN_POISON_MEMORY_REGION(arena, PAGES * HEAP_PAGE);
	taken[0] = 1;			/* the heap's first page is taken */
	taken[7] = taken[8] = 1;	/* holes split the heap into segments */
	taken[40] = 1;
	for (int i = 60; i < 100; i++)
		taken[i] = 1;
	srand(42);
	test_edges();
	random_run(50000);
	check_all_free();
	test_out_of_memory();
	random_run(50000);
	CHECK(mapped[1] && mapped[9] && mapped[41] && mapped[100]);	/* holes skipped */
	if (failures)
		printf("test_ulib_malloc: %d failure(s)\n", failures);
	ASAN_UNPOISON_MEMORY_REGION(arena, PAGES * HEAP_PAGE);
	free(arena);
	return failures != 0;
}
