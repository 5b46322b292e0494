/*
 * sync.c: the pieces every blocking primitive of the thread library is
 * built from: guard words, FIFO wait queues, and sleeping in the kernel
 * with deschedule/make_runnable (see thr_internals.h).
 */
#include <stddef.h>
#include <syscall.h>
#include <thr_internals.h>

static int xchg(volatile int *word, int value)
{
	__asm__ volatile("xchgl %0, %1" : "+r"(value), "+m"(*word) : : "memory");
	return value;
}

/* The guard is held for a few instructions only, so a thread that finds
 * it taken lets the holder run rather than spin. */
void sync_guard_lock(volatile int *guard)
{
	while (xchg(guard, 1))
		yield(-1);
}

void sync_guard_unlock(volatile int *guard)
{
	xchg(guard, 0);		/* a full barrier: our writes are seen first */
}

void sync_enqueue(sync_queue_t *q, sync_waiter_t *w)
{
	w->next = NULL;
	if (q->tail)
		q->tail->next = w;
	else
		q->head = w;
	q->tail = w;
}

sync_waiter_t *sync_dequeue(sync_queue_t *q)
{
	sync_waiter_t *w = q->head;
	if (w) {
		q->head = w->next;
		if (!q->head)
			q->tail = NULL;
	}
	return w;
}

void sync_sleep(sync_waiter_t *w)
{
	while (!w->ready)
		deschedule((int *)&w->ready);
}

void sync_wake(sync_waiter_t *w)
{
	int tid = w->tid;	/* read first: w may be gone once ready is set */
	xchg(&w->ready, 1);
	make_runnable(tid);
}

void sync_wake_all(sync_queue_t *q)
{
	sync_waiter_t *w;
	while ((w = sync_dequeue(q)) != NULL)
		sync_wake(w);	/* dequeue read w->next before w could go */
}
