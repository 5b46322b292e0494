/*
 * malloc_heap.c: the allocator on a real heap. The heap starts at the
 * first page boundary at or above _end + PAGE_SIZE, skipping a page that
 * is already taken; blocks keep their contents under random
 * malloc/realloc/free; a 1 MiB block works; calloc zeroes reused memory.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define SLOTS 64
#define STEPS 3000

extern char _end[];

struct slot {
	unsigned char *p;
	int size;
	unsigned char tag;
};

static struct slot slots[SLOTS];

static int intact(const struct slot *s)
{
	for (int i = 0; i < s->size; i++)
		if (s->p[i] != s->tag)
			return 0;
	return 1;
}

static void step(struct slot *s)
{
	int size = rand() % 8 ? rand() % 300 : rand() % 20000;
	CHECK(!s->p || intact(s));
	if (s->p && rand() % 2) {
		free(s->p);
		s->p = NULL;
		return;
	}
	unsigned char *p = s->p ? realloc(s->p, size) : malloc(size);
	if (!CHECK(p != NULL || size == 0))
		return;
	CHECK(((uintptr_t)p & 7) == 0);
	s->p = p;
	s->size = size;
	s->tag = (unsigned char)rand();
	memset(p, s->tag, size);
}

int main(void)
{
	uintptr_t base = ((uintptr_t)_end + 2 * PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1);
	CHECK(new_pages((void *)base, PAGE_SIZE) == 0);	/* take the heap's first page */
	char *first = malloc(10);
	CHECK((uintptr_t)first >= base + PAGE_SIZE && (uintptr_t)first < base + 2 * PAGE_SIZE);
	free(first);

	srand(410);
	for (int i = 0; i < STEPS; i++)
		step(&slots[rand() % SLOTS]);
	for (int i = 0; i < SLOTS; i++) {
		CHECK(!slots[i].p || intact(&slots[i]));
		free(slots[i].p);
	}

	char *big = malloc(1 << 20);
	CHECK(big != NULL);
	if (big) {
		memset(big, 0x77, 1 << 20);
		free(big);
	}
	int *zeros = calloc(1000, sizeof *zeros);	/* likely reuses big's bytes */
	CHECK(zeros != NULL);
	for (int i = 0; zeros && i < 1000; i++)
		CHECK(zeros[i] == 0);
	free(zeros);
	CHECK(malloc(0x7fffffff) == NULL);
	test_done();
}
