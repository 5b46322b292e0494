/* swexn_pagefault.c: a handler repairs a page fault by mapping the page
 * with new_pages and resumes the faulting instruction with
 * swexn(esp3, handler, arg, ureg), which then completes: a retried store
 * lands, a retried load returns the value the handler just stored, a
 * sweep over 64 pages faults once per page, and an interrupted
 * `rep movsl` picks up where it stopped (ecx, esi, edi restored). */
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define REGION 0x40000000u	/* faults here are repaired */
#define REGION_END 0x48000000u
#define MAGIC 0xC0FFEE00u
#define SWEEP_PAGES 64
#define MAX_MAPPED 256

static char xstack[4096] __attribute__((aligned(16)));
#define TOP (xstack + sizeof xstack)

static unsigned mapped[MAX_MAPPED];	/* pages the handler mapped */
static volatile int nmapped;

/* Map the faulting page, leave MAGIC in the faulting word, re-register
 * and retry. Any other fault ends the test. */
static void repair(void *arg, ureg_t *u)
{
	unsigned page = u->cr2 & ~(PAGE_SIZE - 1);
	if (u->cause != SWEXN_CAUSE_PAGEFAULT || u->cr2 < REGION || u->cr2 >= REGION_END ||
	    nmapped == MAX_MAPPED || new_pages((void *)page, PAGE_SIZE) < 0)
		test_fail("unexpected fault: cause %#x cr2 %#x eip %#x", u->cause, u->cr2, u->eip);
	mapped[nmapped++] = page;
	*(volatile unsigned *)(u->cr2 & ~3u) = MAGIC;
	swexn(TOP, repair, arg, u);
}

static void store_and_load(void)
{
	volatile unsigned *p = (unsigned *)(REGION + 0x100);
	*p = 1234;
	CHECK(nmapped == 1 && *p == 1234);
	volatile unsigned *q = (unsigned *)(REGION + PAGE_SIZE + 0x200);
	unsigned v = *q;
	CHECK(nmapped == 2 && v == MAGIC);
}

static void sweep(void)
{
	unsigned base = REGION + 0x100000, before = nmapped;
	for (unsigned i = 0; i < SWEEP_PAGES; i++)
		((volatile unsigned *)(base + i * PAGE_SIZE))[1] = i;
	CHECK(nmapped - before == SWEEP_PAGES);
	int ok = 1;
	for (unsigned i = 0; i < SWEEP_PAGES; i++)
		ok &= ((volatile unsigned *)(base + i * PAGE_SIZE))[1] == i;
	CHECK(ok);
}

/* rep movsl into unmapped pages stops at each page and resumes. */
static void string_copy(void)
{
	static unsigned src[3 * PAGE_SIZE / 4];
	unsigned *dst = (unsigned *)(REGION + 0x200000 + 8);	/* spans 4 pages */
	for (unsigned i = 0; i < sizeof src / 4; i++)
		src[i] = i * 7 + 1;
	unsigned before = nmapped;
	int ecx = sizeof src / 4;
	void *esi = src, *edi = dst;
	__asm__ volatile("cld\n	rep movsl" : "+c"(ecx), "+S"(esi), "+D"(edi) : : "memory");
	CHECK(nmapped - before == 4);
	CHECK(ecx == 0 && esi == src + sizeof src / 4 && edi == dst + sizeof src / 4);
	CHECK(memcmp(src, dst, sizeof src) == 0);
}

int main(void)
{
	CHECK(swexn(TOP, repair, NULL, NULL) == 0);
	store_and_load();
	sweep();
	string_copy();
	CHECK(swexn(NULL, NULL, NULL, NULL) == 0);
	for (int i = 0; i < nmapped; i++)
		CHECK(remove_pages((void *)mapped[i]) == 0);
	test_done();
}
