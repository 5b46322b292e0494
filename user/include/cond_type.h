/* cond_type.h: the condition variable (contents Fable's choice). */
#ifndef _COND_TYPE_H
#define _COND_TYPE_H

#include <mutex_type.h>

typedef struct cond {
	volatile int guard;		/* xchg word over the fields below */
	sync_queue_t waiters;		/* [guard] waiting threads, oldest first */
} cond_t;

#endif /* _COND_TYPE_H */
