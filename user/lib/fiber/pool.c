/*
 * pool.c: a thread pool (fiber.h). N kernel threads of the thread
 * library take work items, oldest first, from one queue under one
 * mutex; idle threads wait on `work`, tpool_wait on `done`.
 */
#include <cond.h>
#include <fiber.h>
#include <malloc.h>
#include <mutex.h>
#include <stddef.h>
#include <thread.h>

struct item {
	struct item *next;		/* [lock] */
	void (*fn)(void *);		/* [c] */
	void *arg;			/* [c] */
};

/* Lock tags: [c] constant, [lock] pool->lock. */
struct tpool {
	mutex_t lock;
	cond_t work;			/* an item was queued, or stop */
	cond_t done;			/* pending fell to 0 */
	struct item *head, *tail;	/* [lock] queued items, oldest first */
	int pending;			/* [lock] items queued or running */
	int stop;			/* [lock] threads: leave when idle */
	int nthreads;			/* [c] */
	int tids[];			/* [c] */
};

/* A pool thread: run items until told to stop with none left. */
static void *pool_thread(void *arg)
{
	struct tpool *p = arg;
	mutex_lock(&p->lock);
	for (;;) {
		while (!p->head && !p->stop)
			cond_wait(&p->work, &p->lock);
		struct item *it = p->head;
		if (!it)
			break;
		p->head = it->next;
		if (!p->head)
			p->tail = NULL;
		mutex_unlock(&p->lock);
		it->fn(it->arg);
		free(it);
		mutex_lock(&p->lock);
		if (--p->pending == 0)
			cond_broadcast(&p->done);
	}
	mutex_unlock(&p->lock);
	return NULL;
}

/* Stop and join the pool's threads, then free it. */
static void pool_end(struct tpool *p)
{
	mutex_lock(&p->lock);
	p->stop = 1;
	cond_broadcast(&p->work);
	mutex_unlock(&p->lock);
	for (int i = 0; i < p->nthreads; i++)
		thr_join(p->tids[i], NULL);
	cond_destroy(&p->work);
	cond_destroy(&p->done);
	mutex_destroy(&p->lock);
	free(p);
}

tpool_t *tpool_create(int nthreads)
{
	if (nthreads < 1)
		return NULL;
	struct tpool *p = calloc(1, sizeof *p + (size_t)nthreads * sizeof p->tids[0]);
	if (!p)
		return NULL;
	mutex_init(&p->lock);
	cond_init(&p->work);
	cond_init(&p->done);
	for (int i = 0; i < nthreads; i++) {
		int tid = thr_create(pool_thread, p);
		if (tid < 0)
			break;
		p->tids[p->nthreads++] = tid;
	}
	if (p->nthreads == 0) {
		pool_end(p);
		return NULL;
	}
	return p;
}

int tpool_submit(tpool_t *p, void (*fn)(void *), void *arg)
{
	struct item *it = malloc(sizeof *it);
	if (!it)
		return -1;
	it->fn = fn;
	it->arg = arg;
	it->next = NULL;
	mutex_lock(&p->lock);
	if (p->tail)
		p->tail->next = it;
	else
		p->head = it;
	p->tail = it;
	p->pending++;
	cond_signal(&p->work);
	mutex_unlock(&p->lock);
	return 0;
}

void tpool_wait(tpool_t *p)
{
	mutex_lock(&p->lock);
	while (p->pending > 0)
		cond_wait(&p->done, &p->lock);
	mutex_unlock(&p->lock);
}

void tpool_destroy(tpool_t *p)
{
	tpool_wait(p);
	pool_end(p);
}
