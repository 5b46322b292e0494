/*
 * fiber_pool.c: the thread pool (fiber.h), under every misbehave mode.
 * 3 threads run 300 items, each exactly once; some items submit an item
 * themselves, and tpool_wait waits for those too; after tpool_wait every
 * item has finished; some items sleep, and meanwhile the other threads
 * take the queue (items run on more than one thread), none on the
 * submitter; a second batch reuses the pool; tpool_destroy ends and
 * joins the threads (the kernel's thread count is back). No leaks.
 */
/* runner: timeout=90 */
#include <fiber.h>
#include <stddef.h>
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define THREADS 3
#define ITEMS   300		/* every tenth submits one more */
#define TOTAL   (ITEMS + ITEMS / 10)

static tpool_t *pool;
static volatile int ran[TOTAL];
static volatile int tid_of[TOTAL];
static volatile int finished;

static void item(void *arg)
{
	int i = (int)(size_t)arg;
	__atomic_add_fetch(&ran[i], 1, __ATOMIC_SEQ_CST);
	tid_of[i] = gettid();
	if (i < ITEMS && i % 10 == 0)
		CHECK(tpool_submit(pool, item, (void *)(size_t)(ITEMS + i / 10)) == 0);
	if (i % 50 == 0)
		sleep(1);	/* a blocked pool thread: the others go on */
	__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
}

static int threads_now(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k.threads;
}

static void batch(void)
{
	finished = 0;
	for (int i = 0; i < TOTAL; i++)
		ran[i] = tid_of[i] = 0;
	for (int i = 0; i < ITEMS; i++)
		CHECK(tpool_submit(pool, item, (void *)(size_t)i) == 0);
	tpool_wait(pool);
	CHECK(finished == TOTAL);
	int once = 1, others = 0, mine = 0;
	for (int i = 0; i < TOTAL; i++) {
		once &= ran[i] == 1;
		others += tid_of[i] != tid_of[0];
		mine += tid_of[i] == gettid();
	}
	CHECK(once);
	CHECK(mine == 0);
	tprintf("%d of %d items ran on another thread than item 0\n", others, TOTAL);
	CHECK(others > 0);
}

static void body(void)
{
	CHECK(thr_init(4096) == 0);
	int before = threads_now();
	CHECK(tpool_create(0) == NULL);
	CHECK((pool = tpool_create(THREADS)) != NULL);
	CHECK(threads_now() == before + THREADS);
	batch();
	batch();
	tpool_destroy(pool);
	CHECK(threads_now() == before);
}

int main(void)
{
	run_modes(body);
	test_done();
}
