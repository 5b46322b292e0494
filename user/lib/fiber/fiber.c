/*
 * fiber.c: cooperative user-level threads (fiber.h, docs/lie-fibers.md).
 *
 * Every kernel thread that runs fibers is a *worker*: it loops taking
 * the oldest ready fiber off one shared run queue and switching to it
 * (fiber_swtch, switch.S). A fiber gives the worker up by switching
 * straight to the next ready fiber, or back to the worker's loop when
 * none is ready.
 *
 * A fiber that stops running is not yet safe to touch: until the switch
 * away from it has saved its registers and left its stack, another
 * worker must not resume it, and its stack must not be unmapped. So a
 * fiber never queues itself: it says what should become of it
 * (w->action) and the code that runs *after* the switch, on the next
 * context, does it (after_switch): queue it again, park it on the fiber
 * it joins, or bury it.
 *
 * Stacks live in slots of one area, each slot an unmapped guard page
 * under the stack:
 *
 *   slot base                                         slot base + span
 *   | guard (unmapped) | stack (stack_bytes) ... self pointer |
 *
 * The top word of the stack points to the fiber's record, so the running
 * fiber is found from %esp alone (fiber_self), with no thread-local
 * storage and no system call. A fiber that runs off its stack faults on
 * its own guard page, not into the slot below.
 *
 * Locking: with one worker (N:1) nothing is shared between kernel
 * threads and no lock is taken. With several (M:N) everything marked
 * [L] is under fl.lock, a thread-library mutex, and idle workers wait on
 * fl.work. A switch happens with the lock held and the context switched
 * to drops it, after it has dealt with the one switched from: the same
 * kernel thread takes and drops it, one lock round per switch.
 */
#include <assert.h>
#include <cond.h>
#include <fiber.h>
#include <malloc.h>
#include <mutex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>
#include "fiber_int.h"

#define AREA_LOW  0x60000000u	/* fiber stack slots: below the thread library's */
#define AREA_HIGH 0x80000000u

/* What the context switched to does with the fiber switched from. */
enum action {
	ACT_NONE,	/* nothing: it was the worker's own loop */
	ACT_READY,	/* it yielded: queue it again */
	ACT_JOIN,	/* it waits for w->target to end */
	ACT_EXIT,	/* it ended: unmap its stack, wake its joiner */
};

/*
 * Lock tags: [c] constant once made, [o] only the fiber itself or its
 * worker while it runs, [L] fl.lock (when there are several workers),
 * [w] the worker's own kernel thread.
 */
struct fiber {
	struct fiber *next;		/* [L] run queue or spare list */
	struct fiber *all_prev;		/* [L] list of fibers not yet freed */
	struct fiber *all_next;		/* [L] */
	void *sp;			/* [o] saved %esp while switched out */
	struct worker *on;		/* [o] worker running it, while it runs */
	int id;				/* [c] */
	int slot;			/* [c] stack slot */
	int done;			/* [L] ended; stack unmapped */
	int claimed;			/* [L] a joiner has taken it */
	struct fiber *joiner;		/* [L] fiber waiting in fiber_join */
	void *status;			/* [L] its value, once done */
	void *(*fn)(void *);		/* [c] */
	void *arg;			/* [c] */
};

struct worker {
	struct fiber loop;		/* [w] the kernel thread's own context */
	struct fiber *cur;		/* [w] what runs now: a fiber, or &loop */
	struct fiber *prev;		/* [w] what ran before the last switch */
	enum action action;		/* [w] what becomes of prev */
	struct fiber *target;		/* [w] ACT_JOIN: whom prev joins */
};

static struct {
	mutex_t lock;
	cond_t work;			/* idle workers wait here */
	int running;			/* [atomic] fiber_run is under way */
	int multi;			/* [c while fiber_run runs] several workers */
	int wanting;			/* [atomic] threads in lock() */
	struct fiber *head, *tail;	/* [L] run queue, oldest first */
	struct fiber *all;		/* [L] every fiber not yet freed */
	struct fiber *spare;		/* [L] freed records, with their slots */
	int live;			/* [L] fibers not yet ended */
	int nslots;			/* [L] slots handed out */
	int nextid;			/* [L] */
	int workers;			/* [L] workers that are or will be looping */
	int idle;			/* [L] workers waiting on work */
	int deadlock;			/* [L] all fibers wait for each other */
} fl = { .lock = MUTEX_INITIALIZER };

static unsigned stack_bytes = FIBER_STACK;	/* [L] fixed while a slot is out */

/*
 * The lock is held for most of a worker's time (from the pick of the next
 * fiber to after_switch), so the timer often preempts a worker holding
 * it. The thread-library mutex then hands it, at its next unlock, to the
 * worker that blocked meanwhile, and if the unlocker went on running it
 * would block at its very next lock() and hand it back: the workers would
 * take turns at every fiber switch, each turn a kernel sleep and wake-up
 * (a lock convoy, docs/lie-threads.md), until a tick happened to fall
 * between an unlock and the next lock. So an unlock that leaves a worker
 * wanting the lock gives the CPU up: the new owner finishes with the lock
 * and drops it while nobody waits, and the convoy ends at once.
 */
static void lock(void)
{
	if (!fl.multi)
		return;
	__atomic_add_fetch(&fl.wanting, 1, __ATOMIC_SEQ_CST);
	mutex_lock(&fl.lock);
	__atomic_sub_fetch(&fl.wanting, 1, __ATOMIC_SEQ_CST);
}

static void unlock(void)
{
	if (!fl.multi)
		return;
	mutex_unlock(&fl.lock);
	if (__atomic_load_n(&fl.wanting, __ATOMIC_SEQ_CST))
		yield(-1);
}

/* ---- stack slots --------------------------------------------------- */

static uintptr_t span(void)
{
	return PAGE_SIZE + stack_bytes;
}

static uintptr_t slot_top(int slot)
{
	return AREA_LOW + (uintptr_t)(slot + 1) * span();
}

static struct fiber **self_word(int slot)
{
	return (struct fiber **)slot_top(slot) - 1;
}

/* Map f's stack (its guard stays unmapped) and lay out a frame that
 * fiber_swtch will "return" through into fiber_start. */
static int make_stack(struct fiber *f)
{
	if (new_pages((void *)(slot_top(f->slot) - stack_bytes), (int)stack_bytes) < 0)
		return -1;
	uint32_t *sp = (uint32_t *)self_word(f->slot);
	*sp = (uint32_t)f;
	*--sp = (uint32_t)fiber_start;	/* fiber_swtch's ret */
	for (int i = 0; i < SWTCH_SAVED; i++)
		*--sp = 0;		/* %ebp (0 ends backtraces), %ebx, %esi, %edi */
	f->sp = sp;
	return 0;
}

static void unmap_stack(const struct fiber *f)
{
	remove_pages((void *)(slot_top(f->slot) - stack_bytes));
}

/* No lock: nslots only grows while fibers run, and a running fiber's
 * slot was counted before it could run. */
fiber_t *fiber_self(void)
{
	uintptr_t sp;
	__asm__("movl %%esp, %0" : "=r"(sp));
	if (sp < AREA_LOW || sp >= AREA_LOW + (uintptr_t)fl.nslots * span())
		return NULL;
	return *self_word((int)((sp - AREA_LOW) / span()));
}

int fiber_id(const fiber_t *f)
{
	return f->id;
}

int fiber_stack_size(unsigned int bytes)
{
	int ok = 0;
	lock();
	if (bytes > 0 && bytes <= FIBER_STACK_MAX && fl.nslots == 0) {
		stack_bytes = (bytes + PAGE_SIZE - 1) & ~(unsigned)(PAGE_SIZE - 1);
		ok = 1;
	}
	unlock();
	return ok ? 0 : -1;
}

/* ---- records; caller holds the lock ------------------------------- */

/* A record with a slot: a spare one, or a new one while the area lasts. */
static struct fiber *new_record(void)
{
	struct fiber *f = fl.spare;
	if (f) {
		fl.spare = f->next;
		return f;
	}
	if (slot_top(fl.nslots) > AREA_HIGH || (f = malloc(sizeof *f)) == NULL)
		return NULL;
	f->slot = fl.nslots++;
	return f;
}

static void all_insert(struct fiber *f)
{
	f->all_prev = NULL;
	f->all_next = fl.all;
	if (fl.all)
		fl.all->all_prev = f;
	fl.all = f;
}

static void all_remove(struct fiber *f)
{
	if (f->all_prev)
		f->all_prev->all_next = f->all_next;
	else
		fl.all = f->all_next;
	if (f->all_next)
		f->all_next->all_prev = f->all_prev;
}

/* Back to the spare list; its stack is already unmapped. */
static void free_record(struct fiber *f)
{
	all_remove(f);
	f->next = fl.spare;
	fl.spare = f;
}

static void enqueue(struct fiber *f)
{
	f->next = NULL;
	if (fl.tail)
		fl.tail->next = f;
	else
		fl.head = f;
	fl.tail = f;
	if (fl.idle)
		cond_signal(&fl.work);
}

static struct fiber *dequeue(void)
{
	struct fiber *f = fl.head;
	if (f) {
		fl.head = f->next;
		if (!fl.head)
			fl.tail = NULL;
	}
	return f;
}

/* ---- switching ----------------------------------------------------- */

/* Finish the switch that just brought us onto w: deal with what ran
 * before (see the top of the file). The lock, taken before the switch
 * on this same kernel thread, is held on entry and dropped here. */
static void after_switch(struct worker *w)
{
	struct fiber *p = w->prev;
	switch (w->action) {
	case ACT_NONE:
		break;
	case ACT_READY:
		enqueue(p);
		break;
	case ACT_JOIN:
		if (w->target->done)
			enqueue(p);
		else
			w->target->joiner = p;
		break;
	case ACT_EXIT:
		/* Before done is set: once it is, a joiner may free the
		 * record and a new fiber map a stack in the same slot. */
		unmap_stack(p);
		p->done = 1;
		if (p->joiner)
			enqueue(p->joiner);
		if (--fl.live == 0)
			cond_broadcast(&fl.work);
		break;
	}
	unlock();
}

/* Switch from w's current context to next, leaving action to be done to
 * the current one. The caller holds the lock; it is dropped on the other
 * side (after_switch), and is not held when we return. Returns the
 * worker we run on when we are switched back to, which may be another
 * kernel thread's. */
static struct worker *switch_to(struct worker *w, struct fiber *next, enum action action)
{
	struct fiber *me = w->cur;
	w->prev = me;
	w->action = action;
	w->cur = next;
	w = fiber_swtch(&me->sp, next->sp, w);
	me->on = w;
	after_switch(w);
	return w;
}

/* The next ready fiber, or the worker's own loop if there is none.
 * Caller holds the lock. */
static struct fiber *next_or_loop(struct worker *w)
{
	struct fiber *f = dequeue();
	return f ? f : &w->loop;
}

/* First code of a new fiber: fiber_start (switch.S) gets the worker from
 * fiber_swtch's %eax and calls this on the fiber's own stack. */
void fiber_main(struct worker *w)
{
	struct fiber *f = w->cur;
	f->on = w;
	after_switch(w);
	fiber_exit(f->fn(f->arg));
}

/* ---- the calls ------------------------------------------------------ */

fiber_t *fiber_create(void *(*fn)(void *), void *arg)
{
	lock();
	struct fiber *f = new_record();
	unlock();
	if (!f)
		return NULL;
	f->fn = fn;
	f->arg = arg;
	f->done = f->claimed = 0;
	f->joiner = NULL;
	f->status = NULL;
	if (make_stack(f) < 0) {
		lock();
		f->next = fl.spare;
		fl.spare = f;
		unlock();
		return NULL;
	}
	lock();
	f->id = ++fl.nextid;
	all_insert(f);
	fl.live++;
	enqueue(f);
	unlock();
	return f;
}

void fiber_yield(void)
{
	struct fiber *me = fiber_self();
	if (!me)
		return;
	lock();
	struct fiber *next = dequeue();
	if (next)
		switch_to(me->on, next, ACT_READY);
	else
		unlock();
}

int fiber_join(fiber_t *f, void **statusp)
{
	struct fiber *me = fiber_self();
	if (!me || f == me)
		return -1;
	lock();
	if (f->claimed) {
		unlock();
		return -1;
	}
	f->claimed = 1;
	if (!f->done) {
		struct worker *w = me->on;
		w->target = f;
		switch_to(w, next_or_loop(w), ACT_JOIN);
		lock();
	}
	void *status = f->status;
	free_record(f);
	unlock();
	if (statusp)
		*statusp = status;
	return 0;
}

void fiber_exit(void *status)
{
	struct fiber *me = fiber_self();
	if (!me)
		panic("fiber_exit outside a fiber");
	me->status = status;
	struct worker *w = me->on;
	lock();
	switch_to(w, next_or_loop(w), ACT_EXIT);
	panic("fiber %d ran after its exit", me->id);
}

int fiber_sleep(int ticks)
{
	return sleep(ticks);
}

int fiber_readline(int size, char *buf)
{
	return readline(size, buf);
}

/* ---- workers -------------------------------------------------------- */

/* Run fibers on w until none is left (or all wait on each other). */
static void worker_loop(struct worker *w)
{
	w->cur = &w->loop;
	lock();
	for (;;) {
		while (!fl.head && fl.live > 0 && !fl.deadlock) {
			if (fl.idle + 1 == fl.workers) {
				fl.deadlock = 1;	/* nobody runs, nobody is ready */
				cond_broadcast(&fl.work);
				break;
			}
			fl.idle++;
			cond_wait(&fl.work, &fl.lock);
			fl.idle--;
		}
		if (!fl.head)
			break;
		w = switch_to(w, dequeue(), ACT_NONE);
		lock();
	}
	unlock();
}

static void *worker_thread(void *arg)
{
	worker_loop(arg);
	return NULL;
}

/* After the run: free what is left (fibers nobody joined, and after a
 * deadlock the stuck ones, whose stacks are still mapped). */
static void reap_all(void)
{
	while (fl.all) {
		struct fiber *f = fl.all;
		if (!f->done)
			unmap_stack(f);
		all_remove(f);
		free(f);
	}
	while (fl.spare) {
		struct fiber *f = fl.spare;
		fl.spare = f->next;
		free(f);
	}
	fl.head = fl.tail = NULL;
	fl.live = fl.nslots = 0;
}

int fiber_run(int nthreads)
{
	if (nthreads < 1 || __atomic_exchange_n(&fl.running, 1, __ATOMIC_SEQ_CST))
		return -1;
	struct worker *w = calloc((size_t)nthreads, sizeof *w);
	int *tids = malloc((size_t)nthreads * sizeof *tids);
	if (!w || !tids) {
		free(w);
		free(tids);
		__atomic_store_n(&fl.running, 0, __ATOMIC_SEQ_CST);
		return -1;
	}
	cond_init(&fl.work);
	fl.multi = nthreads > 1;
	fl.deadlock = 0;
	fl.workers = nthreads;
	int made = 1;
	for (int i = 1; i < nthreads; i++) {
		int tid = thr_create(worker_thread, &w[i]);
		if (tid < 0) {
			lock();
			fl.workers -= nthreads - i;	/* they will never come */
			unlock();
			break;
		}
		tids[made++] = tid;
	}
	worker_loop(&w[0]);
	for (int i = 1; i < made; i++)
		thr_join(tids[i], NULL);
	fl.multi = 0;
	cond_destroy(&fl.work);
	int status = fl.deadlock ? -1 : 0;
	reap_all();
	free(w);
	free(tids);
	__atomic_store_n(&fl.running, 0, __ATOMIC_SEQ_CST);
	return status;
}
