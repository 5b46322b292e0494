/*
 * thread.h: threads (docs/abi/userlib.md §3). thr_init(size) comes first and
 * fixes every new thread's stack size; thread ids are kernel tids.
 */
#ifndef _THREAD_H
#define _THREAD_H

#include <thr_internals.h>

int thr_init(unsigned int size);
int thr_create(void *(*func)(void *), void *args);
int thr_join(int tid, void **statusp);
void thr_exit(void *status) __attribute__((__noreturn__));
int thr_getid(void);
int thr_yield(int tid);

#endif /* _THREAD_H */
