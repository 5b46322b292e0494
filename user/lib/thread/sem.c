/*
 * sem.c: counting semaphores (sem.h). sem_signal hands its unit straight
 * to the oldest waiter, if there is one, instead of raising the count:
 * waiters are served in FIFO order and a newcomer cannot overtake them.
 * A waiter is queued under the guard before it sleeps, so a signal that
 * comes between the two is not lost.
 */
#include <sem.h>
#include <stddef.h>
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>

int sem_init(sem_t *sem, int count)
{
	if (count < 0)
		return -1;
	sem->guard = 0;
	sem->count = count;
	sem->waiters.head = sem->waiters.tail = NULL;
	return 0;
}

/* Destroying a semaphore that has waiters is a bug: panic. */
void sem_destroy(sem_t *sem)
{
	sync_guard_lock(&sem->guard);
	int busy = sem->waiters.head != NULL;
	sync_guard_unlock(&sem->guard);
	if (busy)
		panic("sem_destroy(%p): threads are waiting on it", (void *)sem);
}

void sem_wait(sem_t *sem)
{
	sync_waiter_t me = { .tid = gettid() };
	sync_guard_lock(&sem->guard);
	if (sem->count > 0) {
		sem->count--;	/* count > 0 means nobody is queued */
		sync_guard_unlock(&sem->guard);
		return;
	}
	sync_enqueue(&sem->waiters, &me);
	sync_guard_unlock(&sem->guard);
	sync_sleep(&me);	/* sem_signal gave us its unit */
}

void sem_signal(sem_t *sem)
{
	sync_guard_lock(&sem->guard);
	sync_waiter_t *w = sync_dequeue(&sem->waiters);
	if (!w)
		sem->count++;
	sync_guard_unlock(&sem->guard);
	if (w)
		sync_wake(w);
}
