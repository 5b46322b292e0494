/*
 * thr_malloc.c: the thread-safe allocator (docs/abi/userlib.md §6.1) from 8
 * threads at once, under every misbehave mode: each keeps a set of live
 * blocks, each filled with its own pattern, and randomly mallocs,
 * callocs, reallocs and frees them; every block still holds its pattern
 * when it is freed or grown (no two threads ever got the same bytes).
 */
/* runner: timeout=60 */
#include <malloc.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define STACK   8192
#define THREADS 8
#define SLOTS   32
#define OPS     1500
#define MAXLEN  600

struct block {
	unsigned char *p;
	int len;
};

static unsigned next_rand(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

static int intact(const struct block *b, unsigned char fill)
{
	for (int i = 0; i < b->len; i++)
		if (b->p[i] != fill)
			return 0;
	return 1;
}

/* Replace slot b's block by a new one of a random size (or none). */
static void churn(struct block *b, unsigned char fill, unsigned *seed)
{
	int len = (int)(next_rand(seed) % MAXLEN);
	unsigned how = next_rand(seed) % 4;
	if (b->p)
		CHECK(intact(b, fill));
	if (how == 0 && b->p) {
		b->p = realloc(b->p, len);
		CHECK(b->p != NULL || len == 0);
	} else {
		free(b->p);
		b->p = how == 1 ? calloc(1, len) : malloc(len);
		CHECK(b->p != NULL);
		if (how == 1)
			CHECK(intact(&(struct block){ b->p, len }, 0));
	}
	b->len = b->p ? len : 0;
	memset(b->p, fill, b->len);
}

static void *stress(void *arg)
{
	struct block blocks[SLOTS] = { { NULL, 0 } };
	unsigned seed = (unsigned)arg * 7919u + 1, fill = (unsigned)arg + 1;
	for (int i = 0; i < OPS; i++)
		churn(&blocks[next_rand(&seed) % SLOTS], fill, &seed);
	for (int i = 0; i < SLOTS; i++) {
		CHECK(intact(&blocks[i], fill));
		free(blocks[i].p);
	}
	return NULL;
}

static void body(void)
{
	int tids[THREADS];
	CHECK(thr_init(STACK) == 0);
	for (int i = 0; i < THREADS; i++)
		CHECK((tids[i] = thr_create(stress, (void *)i)) > 0);
	for (int i = 0; i < THREADS; i++)
		CHECK(thr_join(tids[i], NULL) == 0);
}

int main(void)
{
	run_modes(body);
	test_done();
}
