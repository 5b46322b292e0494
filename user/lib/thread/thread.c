/*
 * thread.c: threads (docs/abi/userlib.md §3) on thread_fork.
 *
 * Every thread the library knows has a record in a table hashed by tid,
 * under one guard word (thr_internals.h). A created thread lives in a
 * stack slot: an unmapped guard page, its stack, and one page of
 * exception stack for its crash handler, mapped by one new_pages call:
 *
 *   slot base                                             slot base + span
 *   | guard (unmapped) | stack (stack_bytes)  | exception stack (1 page) |
 *                                             ^ initial %esp
 *
 * Slots are laid out downwards from STACKS_TOP, far below the main
 * thread's stack so that it can keep growing (autostack).
 *
 * Exit and join meet under the table's guard. An exiting thread marks
 * its record, wakes its joiner and then frees the guard and vanishes in
 * one breath (thr_vanish_release), so a joiner that holds the guard and
 * sees the record exited knows the stack is no longer in use, and
 * unmaps it. A joined record keeps its slot and goes to a spare list
 * for the next thr_create.
 */
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>
#include <thread.h>

#define STACKS_TOP   0xF0000000u	/* first slot ends here */
#define STACKS_FLOOR 0x80000000u	/* no slot starts below this */
#define STACK_MAX    0x10000000u	/* larger thr_init sizes are refused */
#define NBUCKETS     64			/* tid hash buckets */

enum thr_state { THR_RUNNING, THR_EXITED };

typedef struct thr {
	struct thr *next;		/* [tbl.guard] hash chain or spare list */
	int tid;			/* [tbl.guard] kernel tid */
	enum thr_state state;		/* [tbl.guard] */
	int claimed;			/* [tbl.guard] a joiner has taken it */
	void *status;			/* [tbl.guard] thr_exit's value */
	sync_waiter_t *joiner;		/* [tbl.guard] sleeping joiner, or NULL */
	int slot;			/* [c] stack slot; -1: the initial thread */
	void *(*func)(void *);		/* [c] while running: what it runs */
	void *arg;			/* [c] ... and with what */
} thr_t;

static struct {
	volatile int guard;		/* xchg word over the fields below */
	thr_t *bucket[NBUCKETS];	/* [guard] known threads by tid */
	thr_t *spare;			/* [guard] joined records, slots free */
	int nslots;			/* [guard] slots handed out so far */
} tbl;

static unsigned stack_bytes;		/* [set once, by thr_init] 0 before */
static thr_t initial;			/* the thread that called thr_init */

/* ---- the table; caller holds tbl.guard ------------------------------ */

static thr_t **bucket_of(int tid)
{
	return &tbl.bucket[(unsigned)tid % NBUCKETS];
}

static thr_t *find(int tid)
{
	thr_t *t = *bucket_of(tid);
	while (t && t->tid != tid)
		t = t->next;
	return t;
}

static void insert(thr_t *t)
{
	thr_t **b = bucket_of(t->tid);
	t->next = *b;
	*b = t;
}

static void unlink_thr(thr_t *t)
{
	thr_t **p = bucket_of(t->tid);
	while (*p != t)
		p = &(*p)->next;
	*p = t->next;
}

/* ---- stack slots ---------------------------------------------------- */

static uintptr_t slot_span(void)
{
	return PAGE_SIZE + stack_bytes + PAGE_SIZE;
}

/* Lowest address of slot i (its guard page). */
static uintptr_t slot_base(int slot)
{
	return STACKS_TOP - (uintptr_t)(slot + 1) * slot_span();
}

static void *stack_top(const thr_t *t)
{
	return (void *)(slot_base(t->slot) + PAGE_SIZE + stack_bytes);
}

static void *exn_top(const thr_t *t)
{
	return (void *)(slot_base(t->slot) + slot_span());
}

/* The stack and exception page of t's slot, as one new_pages region. */
static int map_stack(const thr_t *t)
{
	void *low = (void *)(slot_base(t->slot) + PAGE_SIZE);
	return new_pages(low, (int)(stack_bytes + PAGE_SIZE));
}

static void unmap_stack(const thr_t *t)
{
	remove_pages((void *)(slot_base(t->slot) + PAGE_SIZE));
}

/* A joined thread's record, with its slot, or NULL. */
static thr_t *take_spare(void)
{
	sync_guard_lock(&tbl.guard);
	thr_t *t = tbl.spare;
	if (t)
		tbl.spare = t->next;
	sync_guard_unlock(&tbl.guard);
	return t;
}

/* A new record with the next slot, or NULL when memory or the slot
 * area has run out. */
static thr_t *new_record(void)
{
	thr_t *t = malloc(sizeof *t);
	if (!t)
		return NULL;
	sync_guard_lock(&tbl.guard);
	t->slot = tbl.nslots;
	int fits = slot_base(t->slot) >= STACKS_FLOOR;
	tbl.nslots += fits;
	sync_guard_unlock(&tbl.guard);
	if (fits)
		return t;
	free(t);
	return NULL;
}

/* Give t (whose stack is unmapped) back for a later thread. */
static void spare_record(thr_t *t)
{
	sync_guard_lock(&tbl.guard);
	t->next = tbl.spare;
	tbl.spare = t;
	sync_guard_unlock(&tbl.guard);
}

/* ---- crashes -------------------------------------------------------- */

/* A fault nothing resolved, in any thread, after thr_init: say so and
 * end the task (docs/abi/userlib.md §3.4), so no joiner waits forever. The
 * console mirrors to the debug log, so one print reaches both. */
static void crash(ureg_t *u)
{
	char line[128];
	int n = snprintf(line, sizeof line,
			 "thread %d crashed: cause %u at eip %#x, cr2 %#x; "
			 "task ends with status -2\n", gettid(), u->cause, u->eip, u->cr2);
	print(n, line);
	task_vanish(-2);
}

static void crash_handler(void *arg, ureg_t *u)
{
	(void)arg;
	crash(u);
}

/* ---- the calls ------------------------------------------------------ */

/* Fix the stack size of every thread to come; record the caller as the
 * initial thread and have the stack grower end the task on a crash. */
int thr_init(unsigned int size)
{
	if (size == 0 || size > STACK_MAX || stack_bytes)
		return -1;
	stack_bytes = (size + PAGE_SIZE - 1) & ~(unsigned)(PAGE_SIZE - 1);
	initial.tid = gettid();
	initial.slot = -1;
	sync_guard_lock(&tbl.guard);
	insert(&initial);
	sync_guard_unlock(&tbl.guard);
	autostack_set_fatal(crash);
	return 0;
}

/* Publish status in t (the caller's record, or NULL for a thread the
 * library does not know: a raw thread_fork), wake the joiner, vanish.
 * Caller holds tbl.guard. The joiner takes the guard before it touches
 * t or our stack, and gets it only once we are past our last use of the
 * stack. */
static NORETURN void exit_locked(thr_t *t, void *status)
{
	if (t) {
		t->status = status;
		t->state = THR_EXITED;
		if (t->joiner)
			sync_wake(t->joiner);
		t->joiner = NULL;
	}
	thr_vanish_release(&tbl.guard);
}

/* Where a created thread starts, on its own stack. A thread that
 * returns has its record at hand, so it exits without a lookup. */
static void thr_start(void *arg)
{
	thr_t *t = arg;
	swexn(exn_top(t), crash_handler, NULL, NULL);
	void *status = t->func(t->arg);
	sync_guard_lock(&tbl.guard);
	exit_locked(t, status);
}

/*
 * The guard is held across thread_fork so that the record is in the
 * table, under the new tid, before the new thread can exit (thr_exit
 * takes the guard) or anyone can join it.
 */
int thr_create(void *(*func)(void *), void *args)
{
	if (!stack_bytes)
		return -1;
	thr_t *t = take_spare();
	if (!t && (t = new_record()) == NULL)
		return -1;
	if (map_stack(t) < 0) {
		spare_record(t);
		return -1;
	}
	*t = (thr_t){ .slot = t->slot, .func = func, .arg = args };
	sync_guard_lock(&tbl.guard);
	int tid = thread_fork_on(stack_top(t), thr_start, t);
	if (tid > 0) {
		t->tid = tid;
		insert(t);
	}
	sync_guard_unlock(&tbl.guard);
	if (tid <= 0) {
		unmap_stack(t);
		spare_record(t);
		return -1;
	}
	return tid;
}

void thr_exit(void *status)
{
	sync_guard_lock(&tbl.guard);
	exit_locked(find(gettid()), status);
}

/* Claim tid for the caller, whose tid is self, to join; NULL if that is
 * not allowed. Caller holds tbl.guard. */
static thr_t *claim(int tid, int self)
{
	thr_t *t = find(tid);
	if (!t || t->claimed || tid == self)
		return NULL;
	t->claimed = 1;
	return t;
}

/* Wait for tid to exit, then reclaim its stack; its status goes to
 * *statusp. Negative if tid may not be joined (see claim). */
int thr_join(int tid, void **statusp)
{
	sync_waiter_t me = { .tid = gettid() };
	sync_guard_lock(&tbl.guard);
	thr_t *t = claim(tid, me.tid);
	if (!t) {
		sync_guard_unlock(&tbl.guard);
		return -1;
	}
	if (t->state != THR_EXITED) {
		t->joiner = &me;
		sync_guard_unlock(&tbl.guard);
		sync_sleep(&me);
		sync_guard_lock(&tbl.guard);	/* t's thread let it go: stack unused */
	}
	unlink_thr(t);
	void *status = t->status;
	sync_guard_unlock(&tbl.guard);
	if (t->slot >= 0) {
		unmap_stack(t);
		spare_record(t);
	}
	if (statusp)
		*statusp = status;
	return 0;
}

int thr_getid(void)
{
	return gettid();
}

int thr_yield(int tid)
{
	return yield(tid);
}
