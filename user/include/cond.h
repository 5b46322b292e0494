/*
 * cond.h: condition variables (docs/abi/userlib.md §4.3). cond_signal wakes the
 * longest waiter; cond_broadcast wakes exactly the threads waiting at the
 * time of the call. No spurious wake-ups.
 */
#ifndef _COND_H
#define _COND_H

#include <cond_type.h>
#include <mutex.h>

int cond_init(cond_t *cv);
void cond_destroy(cond_t *cv);
void cond_wait(cond_t *cv, mutex_t *mp);
void cond_signal(cond_t *cv);
void cond_broadcast(cond_t *cv);

#endif /* _COND_H */
