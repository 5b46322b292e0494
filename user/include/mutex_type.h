/*
 * mutex_type.h: the mutex and the wait queue every blocking primitive of
 * the thread library shares (docs/abi/userlib.md §4.1; contents Fable's choice).
 *
 * A primitive's fields are protected by its guard word, a spin lock taken
 * with xchg and held only for a few instructions. A thread that must wait
 * puts a sync_waiter_t (on its own stack) in the queue, drops the guard and
 * sleeps in the kernel with deschedule(&ready) until a waker sets ready
 * and calls make_runnable.
 */
#ifndef _MUTEX_TYPE_H
#define _MUTEX_TYPE_H

typedef struct sync_waiter {
	struct sync_waiter *next;	/* [guard] later waiter */
	int tid;			/* the sleeping thread */
	int mode;			/* what it waits for (e.g. RWLOCK_READ) */
	volatile int ready;		/* set once, by the waker, to let it go */
} sync_waiter_t;

typedef struct sync_queue {
	sync_waiter_t *head;		/* [guard] oldest waiter, or 0 */
	sync_waiter_t *tail;		/* [guard] newest waiter, or 0 */
} sync_queue_t;

typedef struct mutex {
	volatile int guard;		/* xchg word over the fields below */
	int owner;			/* [guard] tid of the holder, 0 if free */
	sync_queue_t waiters;		/* [guard] blocked lockers, FIFO */
} mutex_t;

/* A free mutex; all-zero memory is one too. */
#define MUTEX_INITIALIZER { 0, 0, { 0, 0 } }

#endif /* _MUTEX_TYPE_H */
