/*
 * waitq.c: FIFO wait queues of threads, doubly linked through the
 * threads (see waitq.h). Caller holds sched_lock for every operation.
 */
#include "sync/waitq.h"
#include "proc/thread.h"

void waitq_push(struct waitq *q, struct thread *t)
{
	t->qnext = NULL;
	t->qprev = q->tail;
	if (q->tail)
		q->tail->qnext = t;
	else
		q->head = t;
	q->tail = t;
}

struct thread *waitq_pop(struct waitq *q)
{
	struct thread *t = q->head;
	if (t)
		waitq_remove(q, t);
	return t;
}

void waitq_remove(struct waitq *q, struct thread *t)
{
	if (t->qprev)
		t->qprev->qnext = t->qnext;
	else
		q->head = t->qnext;
	if (t->qnext)
		t->qnext->qprev = t->qprev;
	else
		q->tail = t->qprev;
	t->qnext = t->qprev = NULL;
}
