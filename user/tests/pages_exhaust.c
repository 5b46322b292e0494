/* pages_exhaust.c: a task takes every frame with new_pages chunks that
 * halve from 512 MiB down to one page. Every call succeeds (and is
 * charged at once) or fails without taking anything; when nothing more
 * fits, fork fails cleanly; after remove_pages every frame is back, and
 * once the task is gone so is everything else. */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define BASE 0x40000000u
#define FIRST_CHUNK 0x20000000u
#define MAX_REGIONS 64

static unsigned regions[MAX_REGIONS];	/* bases of what we got */
static int nregions;

static unsigned free_frames(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k.free_frames;
}

/* Each page of a new region reads zero and takes a write. */
static int touch(unsigned addr, unsigned len)
{
	for (unsigned off = 0; off < len; off += PAGE_SIZE) {
		volatile unsigned *w = (unsigned *)(addr + off);
		if (*w != 0)
			return 0;
		*w = addr + off;
	}
	return 1;
}

/* Try one chunk; returns whether it was granted. Checks the charge. */
static int try_chunk(unsigned addr, unsigned len)
{
	unsigned before = free_frames();
	if (new_pages((void *)addr, (int)len) < 0) {
		CHECK(free_frames() == before);
		return 0;
	}
	CHECK(before - free_frames() >= len / PAGE_SIZE);
	CHECK(nregions < MAX_REGIONS);
	regions[nregions++] = addr;
	CHECK(touch(addr, len));
	return 1;
}

/* With no free frame left, fork must fail and create nothing. */
static void fork_when_full(void)
{
	int pid = fork();
	if (pid == 0)
		exit(0);
	CHECK(pid < 0);
	CHECK(wait(NULL) < 0);
}

static void exhaust(void)
{
	unsigned start = free_frames(), addr = BASE, got = 0;
	for (unsigned chunk = FIRST_CHUNK; chunk >= PAGE_SIZE; ) {
		if (try_chunk(addr, chunk))
			addr += chunk, got += chunk / PAGE_SIZE;
		else
			chunk /= 2;
	}
	tprintf("pages_exhaust: got %u pages in %d regions; %u frames free now, %u at the start\n",
		got, nregions, free_frames(), start);
	CHECK(got >= start / 10 * 9);
	CHECK(new_pages((void *)addr, PAGE_SIZE) < 0);
	fork_when_full();
	for (int i = 0; i < nregions; i++)
		CHECK(remove_pages((void *)regions[i]) == 0);
	CHECK(free_frames() == start);
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	test_in_child(exhaust);
	CHECK(test_baseline_same(&base));
	test_done();
}
