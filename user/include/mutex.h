/*
 * mutex.h: mutual exclusion (docs/abi/userlib.md §4.2). Waiters are served in
 * FIFO order: unlock hands the mutex straight to the oldest one. Usable
 * without thr_init. Misuse panics: unlocking a mutex the caller does not
 * hold, locking one it already holds, destroying one held or waited on.
 */
#ifndef _MUTEX_H
#define _MUTEX_H

#include <mutex_type.h>

int mutex_init(mutex_t *mp);
void mutex_destroy(mutex_t *mp);
void mutex_lock(mutex_t *mp);
void mutex_unlock(mutex_t *mp);

#endif /* _MUTEX_H */
