/* pages_zero.c: frames are recycled and re-zeroed: in 1,000 rounds of
 * new_pages / write / remove_pages at 0x40000000 (1 to 4 pages), every
 * word of every new region reads zero. Every frame is back at the end,
 * and the rest (kernel heap, tasks) once the task is gone. */
#include <syscall.h>
#include "testlib.h"

#define BASE 0x40000000u
#define ROUNDS 1000
#define MAX_PAGES 4

/* Index of the first non-zero word, or -1. */
static int first_dirty(volatile unsigned *w, int words)
{
	for (int i = 0; i < words; i++)
		if (w[i] != 0)
			return i;
	return -1;
}

static void scribble(volatile unsigned *w, int words, unsigned round)
{
	for (int i = 0; i < words; i++)
		w[i] = round * 0x10001u + i + 1;
}

/* Say what went wrong in a round; returns -1. */
static int failed(unsigned round, const char *what, int word)
{
	tprintf("pages_zero: round %u: %s %d\n", round, what, word);
	return -1;
}

/* One round; 0 if it went as it must. */
static int round_trip(unsigned round)
{
	int pages = 1 + round % MAX_PAGES;
	int words = pages * PAGE_SIZE / 4;
	volatile unsigned *w = (unsigned *)BASE;
	if (new_pages((void *)BASE, pages * PAGE_SIZE) < 0)
		return failed(round, "new_pages failed, pages", pages);
	int dirty = first_dirty(w, words);
	if (dirty >= 0)
		return failed(round, "not zero: word", dirty);
	scribble(w, words, round);
	if (remove_pages((void *)BASE) < 0)
		return failed(round, "remove_pages failed, pages", pages);
	return 0;
}

static unsigned free_frames(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k.free_frames;
}

static void rounds(void)
{
	unsigned start = free_frames();
	int bad = 0;
	for (unsigned r = 0; r < ROUNDS && bad < 5; r++)
		bad += round_trip(r) < 0;
	CHECK(bad == 0);
	CHECK(free_frames() == start);
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	test_in_child(rounds);
	CHECK(test_baseline_same(&base));
	test_done();
}
