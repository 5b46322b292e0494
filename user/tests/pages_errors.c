/* pages_errors.c: new_pages and remove_pages refuse every request of
 * docs/abi/memory.md §2.2, §3.2 that is wrong, and a refused request changes
 * nothing: no frame is taken, no mapping appears, no region goes away.
 * Frames are back once the regions are removed, and everything else
 * (kernel heap, tasks, threads) once the task is gone. */
#include <stddef.h>
#include <syscall.h>
#include "testlib.h"

#define P PAGE_SIZE
#define BASE 0x40000000u		/* a free spot for our regions */
#define PAGE_OF(p) ((void *)((unsigned)(p) & ~(P - 1)))

static int data_word = 42;		/* .data */
static int bss_word;			/* .bss */

int main(void);

static unsigned free_frames(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k.free_frames;
}

static int np(unsigned addr, int len)
{
	return new_pages((void *)addr, len);
}

/* Bad address or length. */
static void bad_shape(void)
{
	CHECK(np(BASE + 1, P) < 0);
	CHECK(np(BASE + 0x800, P) < 0);
	CHECK(np(BASE + P - 4, P) < 0);
	CHECK(np(BASE, 0) < 0);
	CHECK(np(BASE, -P) < 0);
	CHECK(np(BASE, -1) < 0);
	CHECK(np(BASE, (int)0x80000000) < 0);
	CHECK(np(BASE, 100) < 0);
	CHECK(np(BASE, P + 1) < 0);
	CHECK(np(BASE, 3 * P - 2048) < 0);
}

/* Outside user space: below USER_MEM_START, or past 0xFFFFFFFF. */
static void outside(void)
{
	CHECK(np(0, P) < 0);
	CHECK(np(0x1000, P) < 0);
	CHECK(np(0x500000, P) < 0);
	CHECK(np(0x00FFF000, P) < 0);
	CHECK(np(0x00FFF000, 2 * P) < 0);	/* straddles USER_MEM_START */
	CHECK(np(0x00800000, 0x01000000) < 0);
	CHECK(np(0xFFFFF000, 2 * P) < 0);	/* end wraps to 0x1000 */
	CHECK(np(0xF0000000, 0x20000000) < 0);	/* end wraps to 0x10000000 */
	CHECK(np(0xFFFF0000, 0x7FFFF000) < 0);	/* end wraps to 0x7FFEF000 */
}

/* Overlap with the program image, the stack, or a region. */
static void overlap(void)
{
	int local = 1;
	CHECK(np((unsigned)PAGE_OF(main), P) < 0);
	CHECK(np((unsigned)PAGE_OF(&data_word), P) < 0);
	CHECK(np((unsigned)PAGE_OF(&bss_word), P) < 0);
	CHECK(np((unsigned)PAGE_OF(&local), P) < 0);
	CHECK(np((unsigned)PAGE_OF(&local) - 256 * P, 257 * P) < 0);
	CHECK(np((unsigned)PAGE_OF(main), 0x10000000) < 0);

	/* BASE..BASE+4P is ours (mapped by main). */
	CHECK(np(BASE, P) < 0);
	CHECK(np(BASE + P, P) < 0);
	CHECK(np(BASE + 3 * P, 2 * P) < 0);
	CHECK(np(BASE - P, 2 * P) < 0);
	CHECK(np(BASE - P, 6 * P) < 0);
	CHECK(np(BASE + P, 2 * P) < 0);
}

/* More memory than the machine has: one page more than all its user
 * frames, and 1 GiB and 256 MiB where the machine has less. */
static void too_big(void)
{
	kstat_t k = { .size = sizeof k };
	CHECK(kstat(&k) == 0);
	CHECK(np(0x40000000, (k.total_frames + 1) * PAGE_SIZE) < 0);
	if (k.total_frames < 0x40000000 / PAGE_SIZE)
		CHECK(np(0x40000000 + 0x01000000, 0x40000000) < 0);	/* 1 GiB */
	if (k.total_frames < 0x10000000 / PAGE_SIZE)
		CHECK(np(0x80000000, 0x10000000) < 0);			/* 256 MiB */
}

/* remove_pages of anything but the base of a live region. */
static void bad_remove(void)
{
	int local = 1;
	CHECK(remove_pages((void *)(BASE + P)) < 0);	/* middle */
	CHECK(remove_pages((void *)(BASE + 1)) < 0);
	CHECK(remove_pages((void *)(BASE + 4 * P)) < 0);	/* just past it */
	CHECK(remove_pages((void *)0x50000000) < 0);	/* never allocated */
	CHECK(remove_pages(PAGE_OF(main)) < 0);
	CHECK(remove_pages(PAGE_OF(&data_word)) < 0);
	CHECK(remove_pages(PAGE_OF(&bss_word)) < 0);
	CHECK(remove_pages(PAGE_OF(&local)) < 0);
	CHECK(remove_pages((void *)0x500000) < 0);
	CHECK(remove_pages(NULL) < 0);
	CHECK(remove_pages((void *)0xFFFFF000) < 0);
}

/* Fill the region with a pattern; check it is still there. */
static void fill(volatile unsigned *w, int words)
{
	for (int i = 0; i < words; i++)
		w[i] = 0xC0DE0000u + i;
}

static int intact(volatile unsigned *w, int words)
{
	for (int i = 0; i < words; i++)
		if (w[i] != 0xC0DE0000u + i)
			return 0;
	return 1;
}

/* Neighbours are separate regions: removing one leaves the others. */
static void neighbours(void)
{
	CHECK(np(BASE - P, P) == 0);
	CHECK(np(BASE + 4 * P, P) == 0);
	CHECK(remove_pages((void *)(BASE - P)) == 0);
	CHECK(intact((unsigned *)BASE, 4 * P / 4));
	*(volatile int *)(BASE + 4 * P) = 7;
	CHECK(remove_pages((void *)(BASE + 4 * P)) == 0);
	CHECK(remove_pages((void *)(BASE - P)) < 0);	/* already removed */
	CHECK(intact((unsigned *)BASE, 4 * P / 4));
}

/* Everything, in a child: its address space may keep caches. */
static void all_cases(void)
{
	unsigned start = free_frames();
	CHECK(np(BASE, 4 * P) == 0);
	fill((unsigned *)BASE, 4 * P / 4);
	unsigned before = free_frames();
	bad_shape();
	outside();
	overlap();
	too_big();
	bad_remove();
	CHECK(free_frames() == before);
	CHECK(intact((unsigned *)BASE, 4 * P / 4));
	CHECK(data_word == 42 && bss_word == 0);
	neighbours();
	CHECK(remove_pages((void *)BASE) == 0);
	CHECK(remove_pages((void *)BASE) < 0);		/* already removed */
	CHECK(np(BASE + P, P) == 0);			/* the space is free again */
	CHECK(remove_pages((void *)(BASE + P)) == 0);
	CHECK(free_frames() == start);
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	test_in_child(all_cases);
	CHECK(test_baseline_same(&base));
	test_done();
}
