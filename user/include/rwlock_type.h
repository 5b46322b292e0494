/* rwlock_type.h: the reader/writer lock (contents Fable's choice). */
#ifndef _RWLOCK_TYPE_H
#define _RWLOCK_TYPE_H

#include <mutex_type.h>

typedef struct rwlock {
	volatile int guard;		/* xchg word over the fields below */
	int readers;			/* [guard] threads holding it to read */
	int writer;			/* [guard] tid holding it to write, or 0 */
	sync_queue_t waiters;		/* [guard] arrival order; mode says which */
} rwlock_t;

#endif /* _RWLOCK_TYPE_H */
