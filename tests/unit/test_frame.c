/*
 * test_frame.c: the boot-time range sets (mm/prange.c) and the user frame
 * pool (mm/fpool.c): a memory map with holes becomes the right ranges;
 * frames come out once each, only from those ranges, recycle, count
 * references; reservations refuse what is not there; counters stay exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/mm/prange.c"
#include "kernel/mm/fpool.c"

static jmp_buf panic_jmp;
static int expect_panic;
static int failures;

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (!expect_panic)
		vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (expect_panic)
		longjmp(panic_jmp, 1);
	abort();
}

#define CHECK(e) \
	((e) ? (void)0 : (void)(failures++, fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e)))

#define EXPECT_PANIC(stmt) do {							\
	expect_panic = 1;							\
	if (setjmp(panic_jmp) == 0) {						\
		stmt;								\
		CHECK(!"no panic from " #stmt);					\
	}									\
	expect_panic = 0;							\
} while (0)

static void test_prset(void)
{
	struct prset s;
	prset_init(&s);
	CHECK(prset_add(&s, 100, 200) && prset_add(&s, 10, 20) && prset_add(&s, 300, 400));
	CHECK(prset_add(&s, 20, 30));		/* adjacent: merges */
	CHECK(s.n == 3 && s.r[0].lo == 10 && s.r[0].hi == 30);
	CHECK(prset_add(&s, 150, 350));		/* bridges two */
	CHECK(s.n == 2 && s.r[1].lo == 100 && s.r[1].hi == 400);
	CHECK(prset_sub(&s, 120, 130));		/* splits */
	CHECK(s.n == 3 && s.r[1].hi == 120 && s.r[2].lo == 130);
	CHECK(prset_sub(&s, 5, 12) && s.r[0].lo == 12);
	CHECK(prset_sub(&s, 110, 140) && s.r[1].hi == 110 && s.r[2].lo == 140);
	CHECK(prset_sub(&s, 0, 1000) && s.n == 0);
	CHECK(prset_add(&s, 1, 10) && prset_add(&s, 20, 30));
	prset_clip(&s, 5, 25);
	CHECK(s.n == 2 && s.r[0].lo == 5 && s.r[1].hi == 25 && prset_pages(&s) == 10);
	CHECK(prset_take(&s, 6) == 0 && prset_take(&s, 5) == 5 && s.n == 1);
	CHECK(prset_take(&s, 2) == 20 && prset_pages(&s) == 3);
	prset_init(&s);
	for (int i = 0; i < PRSET_MAX; i++)
		CHECK(prset_add(&s, 10 * i, 10 * i + 5));
	CHECK(!prset_add(&s, 10000, 10001) && !prset_sub(&s, 1, 2) && s.n == PRSET_MAX);
}

/* The 256 MiB QEMU map, plus a hole: frames 0x1000-0x1FFF and 0x3000-0xFFDF. */
static void make_pool(struct fpool *p, struct prset *s, uint32_t **meta)
{
	prset_init(s);
	prset_add(s, 0x100, 0xFFE0);
	prset_sub(s, 0x2000, 0x3000);
	prset_clip(s, 0x1000, 0x100000);
	*meta = malloc(fpool_meta_bytes(s));
	memset(*meta, 0xA5, fpool_meta_bytes(s));	/* garbage, as at boot */
	fpool_init(p, s, *meta);
}

static void test_pool(void)
{
	struct fpool p;
	struct prset s;
	uint32_t *meta;
	make_pool(&p, &s, &meta);
	uint32_t total = 0x1000 + 0xCFE0;
	CHECK(p.total == total && p.avail == total && p.used == 0);
	CHECK(fpool_count_free(&p) == total);
	CHECK(fpool_reserve(&p, total) && !fpool_reserve(&p, 1));	/* takes need promises */
	static unsigned char seen[0x10000];
	uint32_t f, n = 0;
	while ((f = fpool_take(&p))) {
		CHECK(f >= 0x1000 && f < 0xFFE0 && (f < 0x2000 || f >= 0x3000));
		CHECK(!seen[f]);
		seen[f] = 1;
		n++;
	}
	CHECK(n == total && p.used == total && fpool_count_free(&p) == 0);
	for (f = 0x1000; f < 0xFFE0; f += 3)
		if (seen[f]) {
			CHECK(fpool_put(&p, f));
			n--;
		}
	CHECK(p.used == n && fpool_count_free(&p) == total - n);
	uint32_t again = 0;
	while ((f = fpool_take(&p))) {	/* recycled frames come back */
		CHECK((f - 0x1000) % 3 == 0);
		again++;
	}
	CHECK(again == total - n);
	EXPECT_PANIC(fpool_unreserve(&p, 1));	/* all of them are in use */
	free(meta);
}

static void test_refs_and_reservations(void)
{
	struct fpool p;
	struct prset s;
	uint32_t *meta;
	make_pool(&p, &s, &meta);
	CHECK(fpool_reserve(&p, 10) && p.avail == p.total - 10);
	EXPECT_PANIC(while (fpool_take(&p)) continue);	/* an 11th take breaks the promise */
	free(meta);
	make_pool(&p, &s, &meta);
	CHECK(fpool_reserve(&p, 10));
	CHECK(!fpool_reserve(&p, p.total) && p.avail == p.total - 10);
	uint32_t f = fpool_take(&p);
	CHECK(fpool_refs(&p, f) == 1);
	fpool_ref(&p, f);
	fpool_ref(&p, f);
	CHECK(fpool_refs(&p, f) == 3);
	CHECK(!fpool_put(&p, f) && !fpool_put(&p, f) && fpool_put(&p, f));
	EXPECT_PANIC(fpool_put(&p, f));			/* double free */
	EXPECT_PANIC(fpool_ref(&p, 0x2100));		/* in the hole */
	EXPECT_PANIC(fpool_put(&p, 0x5000));		/* never handed out */
	EXPECT_PANIC(fpool_put(&p, 0x20));		/* not a user frame */
	fpool_unreserve(&p, 10);
	CHECK(p.avail == p.total && p.used == 0);
	EXPECT_PANIC(fpool_unreserve(&p, 1));		/* more than was promised */
	free(meta);
}

/* Frames freed clean come back first to fpool_take_clean, last to
 * fpool_take; both lists count as free. */
static void test_clean_list(void)
{
	struct fpool p;
	struct prset s;
	uint32_t *meta;
	make_pool(&p, &s, &meta);
	CHECK(fpool_reserve(&p, p.total));
	CHECK(fpool_take_clean(&p) == 0);	/* nothing was freed clean yet */
	uint32_t a = fpool_take(&p), b = fpool_take(&p), c = fpool_take(&p);
	CHECK(a && b && c);
	fpool_ref(&p, c);
	EXPECT_PANIC(fpool_put_clean(&p, c));	/* still shared */
	fpool_put_clean(&p, a);
	CHECK(fpool_put(&p, b));
	CHECK(p.used == 1 && fpool_count_free(&p) == p.total - 1);
	CHECK(fpool_take_clean(&p) == a && fpool_take_clean(&p) == 0);
	fpool_put_clean(&p, a);
	CHECK(fpool_take(&p) == b);		/* dirty first */
	uint32_t f, n = 0, last = 0;
	while ((f = fpool_take(&p)))
		n++, last = f;
	CHECK(last == a && n == p.total - 2);	/* the clean one came last */
	free(meta);
}

int main(void)
{
	test_prset();
	test_pool();
	test_refs_and_reservations();
	test_clean_list();
	if (failures)
		printf("test_frame: %d failures\n", failures);
	return failures != 0;
}
