/* sem_type.h: the counting semaphore (contents Fable's choice). */
#ifndef _SEM_TYPE_H
#define _SEM_TYPE_H

#include <mutex_type.h>

typedef struct sem {
	volatile int guard;		/* xchg word over the fields below */
	int count;			/* [guard] available units, >= 0 */
	sync_queue_t waiters;		/* [guard] blocked sem_wait callers, FIFO */
} sem_t;

#endif /* _SEM_TYPE_H */
