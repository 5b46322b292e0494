/*
 * debug.h: the kernel's checks of itself - its invariants, the "caller
 * holds X" preconditions (ASSERT_HELD) - and what a panic report says
 * about the thread that was running.
 *
 * Each check panics with "invariant violated: NAME" when it fails, NAME
 * saying which invariant. The checks are always compiled (KTESTs call
 * them); the kernel's own paths call them only in debug builds
 * (`make DEBUG=1` defines FABLE_DEBUG), through DEBUG_CHECK and
 * ASSERT_HELD, because some walk whole queues or tables. This header
 * needs only <stdint.h> and declares the structures it names, so code of
 * any layer may include it; debug.c, which reads them all, sits on top.
 */
#ifndef DEBUG_DEBUG_H
#define DEBUG_DEBUG_H

#include <stdint.h>

struct mutex;
struct spinlock;
struct waitq;
struct runq;

/*
 * The lock-order checker (debug/lockorder.c): the locks one thread, or
 * one CPU, holds, each with its class and where it was taken. Hooks in
 * sync/spinlock.h and sync/mutex.c, called through DEBUG_CHECK: nothing
 * at all in a normal kernel.
 */
#define LOCKORDER_DEPTH 8	/* locks recorded per holder; deeper ones are only counted */
struct lockorder_lock {
	const void *lock;
	unsigned cls;
	uintptr_t site;		/* a return address in the code that took it */
};
struct lockorder_held {
	struct lockorder_lock lock[LOCKORDER_DEPTH];
	unsigned n;		/* recorded */
	unsigned lost;		/* held past LOCKORDER_DEPTH, unrecorded */
};
void lockorder_spin_acquire(const struct spinlock *l);
void lockorder_spin_release(const struct spinlock *l);
void lockorder_mutex_acquire(const struct mutex *m, void *site);
void lockorder_mutex_release(const struct mutex *m);

#ifdef FABLE_DEBUG
#define DEBUG_CHECK(call) (call)
#else
#define DEBUG_CHECK(call) ((void)0)
#endif

/*
 * ASSERT_HELD(l): the precondition "caller holds l", for l a spinlock or
 * a mutex, checked in debug builds (check_spin_held, check_mutex_held).
 * In normal builds it compiles to nothing: l is not even evaluated.
 */
#ifdef FABLE_DEBUG
#define ASSERT_HELD(l) _Generic((l),					\
	struct spinlock *: check_spin_held,				\
	const struct spinlock *: check_spin_held,			\
	struct mutex *: check_mutex_held,				\
	const struct mutex *: check_mutex_held)(l)
#else
#define ASSERT_HELD(l) ((void)sizeof(l))
#endif

/* Panic naming the invariant unless e holds. */
#define INVARIANT(e, name) \
	((e) ? (void)0 : invariant_failed(name, #e, __FILE__, __LINE__))
void invariant_failed(const char *name, const char *expr, const char *file, int line)
	__attribute__((noreturn));

/* The run queue q: every thread on it is runnable (so none is running,
 * blocked or dead) and of a live task (or none), its links agree in both directions, its tail is its
 * last thread, and it has no cycle. Caller holds sched_lock. */
void check_runq(const struct waitq *q);
/* Every level of rq is a sound run queue (check_runq), its ready bit is
 * set exactly when it is not empty, and each of its threads points at it
 * and belongs to it or to a higher level (a yield parks a thread low).
 * Caller holds sched_lock. */
void check_rq(const struct runq *rq);
/* This CPU does not hold l: taking it would spin for ever. */
void check_spin_not_mine(const struct spinlock *l);
/* The caller holds spinlock l, with interrupts off. */
void check_spin_held(const struct spinlock *l);
/* The calling thread holds mutex m. */
void check_mutex_held(const struct mutex *m);
/* On the way back to user mode: no kernel lock of the task layer is
 * held by this thread, interrupts are on, and the task and thread
 * counts are sane (none "negative"). */
void check_user_return(void);
/* Page directory pd maps nothing for user mode below USER_MEM_START: its
 * kernel entries are the kernel's own tables, which grant no user
 * access. */
void check_user_line(const uint32_t *pd);
/* The page table in the user frame at pa is all zeros (mm/vm.c frees
 * and recycles only empty tables). Caller holds no kmap session. */
void check_table_empty(uint32_t pa);

/* A debug kernel may give up the CPU here, at random (one call in four),
 * if nothing forbids it: interrupts on (no spinlock held), a thread other
 * than idle, no printers' lock held. Called after every mutex release, so
 * that the fuzzer and the tests meet interleavings that a timer tick makes
 * only once in a million releases: what follows a release must be right
 * whoever runs in between (proc_thread_exit once was not). */
void debug_preempt(void);

#endif
