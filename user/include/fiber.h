/*
 * fiber.h: user-level threads (fibers) and a thread pool (libfiber.a;
 * docs/lie-fibers.md, docs/userlib.md).
 *
 * A fiber is a function with a stack of its own that runs until it
 * gives the CPU up itself: fiber_yield, fiber_join of a fiber still
 * running, or fiber_exit (returning from its function). Nothing preempts
 * it. The kernel never hears of fibers: fiber_run runs them on kernel
 * threads, one (N:1) or several from the thread library (M:N), and a
 * fiber may go on, after a yield, on another kernel thread than before.
 *
 * A fiber that makes a blocking system call (fiber_sleep,
 * fiber_readline, or any other) blocks the kernel thread it runs on, and
 * with it every fiber that thread would have run: with one kernel
 * thread, all of them. That is the point of fiberlies.
 */
#ifndef _FIBER_H
#define _FIBER_H

typedef struct fiber fiber_t;

/* Stack bytes of every fiber to come (rounded up to pages; default
 * FIBER_STACK). Refused (-1) while any fiber exists, and for 0 or more
 * than FIBER_STACK_MAX. */
#define FIBER_STACK     (2 * 4096)
#define FIBER_STACK_MAX (1024 * 1024)
int fiber_stack_size(unsigned int bytes);

/* A new fiber that will run fn(arg), queued to run; NULL if memory or
 * the fibers' stack area has run out. From a fiber, or from outside
 * fiber_run to set up the fibers it will run. */
fiber_t *fiber_create(void *(*fn)(void *), void *arg);

/* Let the next ready fiber run; returns at once if there is none. */
void fiber_yield(void);

/* Wait (in a fiber) for f, a fiber not yet joined or freed, to end; its
 * value goes to *statusp. f is gone afterwards. -1, at once, outside a fiber, for the caller itself,
 * and for a fiber that another fiber has already joined. */
int fiber_join(fiber_t *f, void **statusp);

/* End the calling fiber with status (as returning it from fn does). */
void fiber_exit(void *status) __attribute__((__noreturn__));

/* The running fiber, or NULL outside fibers. */
fiber_t *fiber_self(void);

/* f's number: 1 for the first fiber fiber_create made, and so on. */
int fiber_id(const fiber_t *f);

/*
 * Run the fibers until every one has ended, on nthreads kernel threads:
 * the caller and nthreads - 1 threads made with thr_create (so M:N mode
 * needs thr_init first; with fewer threads than asked, it uses those it
 * got). 0 when all have ended; -1 if they all wait to join each other
 * (a deadlock: they are torn down), for nthreads < 1, and while another
 * fiber_run is under way (a fiber's call included). Fibers nobody
 * joined are freed on the way out, and their fiber_t pointers with them.
 */
int fiber_run(int nthreads);

/*
 * Blocking points: the system calls sleep and readline, made by a fiber.
 * They block the kernel thread under the fiber, not just the fiber: no
 * other fiber runs on that kernel thread until the call returns.
 */
int fiber_sleep(int ticks);
int fiber_readline(int size, char *buf);

/*
 * A thread pool: nthreads kernel threads (thr_create; thr_init first)
 * that take work items from one FIFO queue.
 */
typedef struct tpool tpool_t;

/* NULL if not one thread could be created, or memory ran out. */
tpool_t *tpool_create(int nthreads);

/* Queue fn(arg) for a pool thread; -1 if out of memory. */
int tpool_submit(tpool_t *pool, void (*fn)(void *), void *arg);

/* Wait until every item submitted so far has run to its end. */
void tpool_wait(tpool_t *pool);

/* tpool_wait, then end the threads (joined) and free the pool. */
void tpool_destroy(tpool_t *pool);

#endif /* _FIBER_H */
