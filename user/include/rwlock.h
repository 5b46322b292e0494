/*
 * rwlock.h: reader/writer locks (docs/abi/userlib.md §4.5). Requests are granted
 * in arrival order, consecutive readers together, so neither readers nor
 * writers starve. rwlock_downgrade keeps the lock and admits the readers
 * waiting ahead of any writer.
 */
#ifndef _RWLOCK_H
#define _RWLOCK_H

#include <rwlock_type.h>

#define RWLOCK_READ  0
#define RWLOCK_WRITE 1

int rwlock_init(rwlock_t *rwlock);
void rwlock_lock(rwlock_t *rwlock, int type);
void rwlock_unlock(rwlock_t *rwlock);
void rwlock_destroy(rwlock_t *rwlock);
void rwlock_downgrade(rwlock_t *rwlock);

#endif /* _RWLOCK_H */
