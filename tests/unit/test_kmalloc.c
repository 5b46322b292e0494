/*
 * test_kmalloc.c: the buddy allocator and the kernel heap (mm/buddy.c,
 * mm/heap.c) on the host, over an arena that plays the kernel's low
 * memory. Random alloc/free sequences are checked against a model (every
 * live block keeps a pattern that must survive until it is freed), and
 * bad frees, double frees and writes after free must panic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/mm/buddy.c"
#include "kernel/mm/heap.c"

#define NPAGES 512

static jmp_buf panic_jmp;
static int expect_panic;
static char panic_msg[256];
static int failures;

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof panic_msg, fmt, ap);
	va_end(ap);
	if (expect_panic)
		longjmp(panic_jmp, 1);
	fprintf(stderr, "unexpected panic: %s\n", panic_msg);
	abort();
}

#define CHECK(e) \
	((e) ? (void)0 : (void)(failures++, fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e)))

/* Run stmt, which must panic with a message containing want. */
#define EXPECT_PANIC(stmt, want) do {						\
	expect_panic = 1;							\
	if (setjmp(panic_jmp) == 0) {						\
		stmt;								\
		failures++;							\
		fprintf(stderr, "%s:%d: no panic from %s\n", __FILE__, __LINE__, #stmt); \
	} else if (!strstr(panic_msg, want)) {					\
		failures++;							\
		fprintf(stderr, "%s:%d: panic \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, panic_msg, want); \
	}									\
	expect_panic = 0;							\
} while (0)

static struct bpage pages[NPAGES];
static struct buddy bd;
static struct heap hp;
static char *arena;

static void setup(void)
{
	buddy_init(&bd, pages, NPAGES);
	buddy_add(&bd, 1, 100);		/* two ranges, page 0 and a hole reserved */
	buddy_add(&bd, 128, NPAGES - 128);
	heap_init(&hp, &bd, (uintptr_t)arena);
}

static void test_buddy(void)
{
	setup();
	unsigned start = bd.nfree;
	CHECK(start == 100 + NPAGES - 128);
	int got[NPAGES], n = 0, pg;
	while ((pg = buddy_alloc(&bd, 0)) >= 0) {
		CHECK(pg >= 1 && (pg < 101 || pg >= 128));
		CHECK(pages[pg].tag == BP_USED);
		got[n++] = pg;
	}
	CHECK((unsigned)n == start && bd.nfree == 0);
	for (int i = n - 1; i >= 0; i -= 2)	/* odd order of frees */
		buddy_free(&bd, got[i], 0);
	for (int i = n - 2; i >= 0; i -= 2)
		buddy_free(&bd, got[i], 0);
	CHECK(bd.nfree == start);
	CHECK(bd.head[7] == 128 || bd.head[8] == 256);	/* merged back */
	pg = buddy_alloc(&bd, 8);
	CHECK(pg == 256);
	CHECK(buddy_alloc(&bd, 10) == -1);
	buddy_free(&bd, pg + 128, 7);	/* free a part of an allocated block */
	buddy_free(&bd, pg, 7);
	CHECK(bd.nfree == start);
	EXPECT_PANIC(buddy_free(&bd, 300, 0), "already free");
	EXPECT_PANIC(buddy_free(&bd, 110, 0), "not managed");
}

struct live {
	unsigned char *p;
	size_t n;
	unsigned char fill;
};

static void check_block(const struct live *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->p[i] != l->fill) {
			CHECK(!"live block was overwritten");
			return;
		}
}

static size_t random_size(void)
{
	switch (rand() % 8) {
	case 0: return 1 + rand() % 16;
	case 1: return HEAP_MAX_SMALL - rand() % 8;
	case 2: return HEAP_MAX_SMALL + 1 + rand() % (3 * PAGE_SIZE);
	default: return 1 + rand() % 600;
	}
}

static void test_random(void)
{
	static struct live live[2000];
	int n = 0;
	size_t model = 0;
	setup();
	unsigned pages0 = bd.nfree;
	for (int step = 0; step < 40000; step++) {
		if (n > 0 && (rand() % 2 || n == 2000)) {
			int i = rand() % n;
			check_block(&live[i]);
			heap_free(&hp, live[i].p);
			model -= live[i].n;
			live[i] = live[--n];
			continue;
		}
		size_t sz = random_size();
		unsigned char *p = heap_alloc(&hp, sz);
		if (!p) {
			CHECK(sz > HEAP_MAX_SMALL || bd.nfree < 2);
			continue;
		}
		CHECK(((uintptr_t)p & 15) == 0);
		CHECK(sz <= HEAP_MAX_SMALL || ((uintptr_t)p - (uintptr_t)arena) % PAGE_SIZE == 0);
		CHECK(p > (unsigned char *)arena && p + sz <= (unsigned char *)arena + NPAGES * PAGE_SIZE);
		live[n] = (struct live){ p, sz, (unsigned char)(step * 7 + 1) };
		memset(p, live[n].fill, sz);
		n++;
		model += sz;
		CHECK(hp.bytes >= model);
		if (step % 1000 == 0)
			CHECK(hp.bytes == heap_count_bytes(&hp));
	}
	while (n > 0) {
		check_block(&live[--n]);
		heap_free(&hp, live[n].p);
	}
	CHECK(hp.bytes == 0 && heap_count_bytes(&hp) == 0);
	CHECK(hp.large_pages == 0 && hp.slabs <= HEAP_CLASSES);
	CHECK(bd.nfree + hp.slabs == pages0);
}

static void test_classes(void)
{
	setup();
	void *a = heap_alloc(&hp, 0), *b = heap_alloc(&hp, 17), *c = heap_alloc(&hp, 1024);
	CHECK(a && b && c && hp.bytes == 16 + 32 + 1024);
	void *big = heap_alloc(&hp, 3 * PAGE_SIZE);	/* rounds up to 4 pages */
	CHECK(big && hp.bytes == 16 + 32 + 1024 + 4 * PAGE_SIZE && hp.large_pages == 4);
	CHECK(heap_alloc(&hp, (size_t)-1) == NULL && heap_alloc(&hp, 2048u * PAGE_SIZE) == NULL);
	heap_free(&hp, a);
	heap_free(&hp, b);
	heap_free(&hp, c);
	heap_free(&hp, big);
	heap_free(&hp, NULL);
	CHECK(hp.bytes == 0);
}

static void test_bad_frees(void)
{
	setup();
	char *a = heap_alloc(&hp, 40), *big = heap_alloc(&hp, 2 * PAGE_SIZE);
	EXPECT_PANIC(heap_free(&hp, a + 8), "not the start of an object");
	EXPECT_PANIC(heap_free(&hp, big + PAGE_SIZE), "not a heap pointer");
	EXPECT_PANIC(heap_free(&hp, big + 16), "inside a large block");
	EXPECT_PANIC(heap_free(&hp, arena + 110 * PAGE_SIZE), "not a heap pointer");
	EXPECT_PANIC(heap_free(&hp, (void *)&hp), "not a heap pointer");
	heap_free(&hp, a);
	EXPECT_PANIC(heap_free(&hp, a), "double free");
	heap_free(&hp, big);
	EXPECT_PANIC(heap_free(&hp, big), "double free");
}

static void test_poison(void)
{
	setup();
	char *a = heap_alloc(&hp, 64);
	heap_free(&hp, a);
	CHECK((unsigned char)a[5] == HEAP_POISON_BYTE);
	a[5] = 1;	/* a write after free... */
	EXPECT_PANIC(heap_alloc(&hp, 64), "written after it was freed");	/* ...caught */
}

int main(void)
{
	arena = aligned_alloc(PAGE_SIZE, NPAGES * PAGE_SIZE);
	srand(1);
	test_buddy();
	test_classes();
	test_random();
	test_bad_frees();
	test_poison();
	free(arena);
	if (failures)
		printf("test_kmalloc: %d failures\n", failures);
	return failures != 0;
}
