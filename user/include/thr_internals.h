/*
 * thr_internals.h: what the pieces of the user library share behind the
 * public headers (contents Fable's choice; programs need not use it).
 */
#ifndef _THR_INTERNALS_H
#define _THR_INTERNALS_H

#include <mutex_type.h>
#include <ureg.h>

/*
 * Guard words (mutex_type.h): a spin lock held for a few instructions.
 * A contended guard yields the CPU, so its holder can finish.
 */
void sync_guard_lock(volatile int *guard);
void sync_guard_unlock(volatile int *guard);

/* FIFO of waiters. Caller holds the queue owner's guard. */
void sync_enqueue(sync_queue_t *q, sync_waiter_t *w);
sync_waiter_t *sync_dequeue(sync_queue_t *q);

/*
 * Sleep until w->ready. The caller queued w and then dropped the guard.
 * deschedule() checks ready atomically with going to sleep, so a wake-up
 * between the drop and the sleep is not lost. A stray make_runnable (one
 * aimed at an earlier wait that ended without sleeping) only makes the
 * loop check ready again, so every deschedule in the library must loop
 * on its own flag like this.
 */
void sync_sleep(sync_waiter_t *w);

/* Let w's thread go on. Caller has taken w off its queue; w lives on the
 * waiter's stack and must not be touched after this call. */
void sync_wake(sync_waiter_t *w);

/* Wake every waiter of q, oldest first, leaving q empty. Caller has
 * detached q from its primitive (so no guard is needed) or holds the
 * guard. */
void sync_wake_all(sync_queue_t *q);

/*
 * Store 0 to *guard and vanish, touching no stack in between: a thread
 * that exits holding the thread table's guard gives its stack up to the
 * joiner at the moment the guard is free (user/lib/thread/thread.c).
 */
void thr_vanish_release(volatile int *guard) __attribute__((__noreturn__));

/*
 * thread_fork (vector 0x52) made safe for C: the new thread switches to
 * stack_top at once, without touching its parent's stack, and runs
 * fn(arg); if fn returns, the thread vanishes. Returns the new tid in the
 * parent, or a negative value if no thread was created (libsyscall.a).
 */
int thread_fork_on(void *stack_top, void (*fn)(void *), void *arg);

/*
 * Stack growth (libautostack.a, docs/abi/userlib.md §5). crt0 calls
 * install_autostack with the bounds of the main thread's initial stack;
 * from then on a page fault just below the stack maps the missing pages.
 */
void install_autostack(void *stack_high, void *stack_low);

/*
 * Until this is called, a fault the
 * main-thread stack grower cannot handle is left to the kernel (which
 * kills the thread); thr_init calls it so that such a fault instead calls
 * fatal(ureg), which must end the task (docs/abi/userlib.md §3.4).
 */
void autostack_set_fatal(void (*fatal)(ureg_t *ureg));

#endif /* _THR_INTERNALS_H */
