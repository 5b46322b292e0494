/*
 * input.c: the input stream (see input.h). inputq.c decides what is
 * stored, echoed and delivered; this file adds the lock the interrupt
 * handlers share with readers, the order of readers, and the waiting.
 *
 * Readers are served in arrival order by tickets, as at a counter: each
 * takes the next number and waits until it is called. Waiting for one's
 * turn and waiting for input are the same wait (input_wait).
 */
#include "dev/input.h"
#include "dev/inputq.h"
#include "dev/console.h"
#include "arch/x86/x86.h"
#include "lib/panic.h"
#include "sync/spinlock.h"

static void echo(const char *s, unsigned n);

/* A spinlock, not a mutex: the keyboard and serial IRQs write the buffer. */
static struct spinlock lock = SPINLOCK_INIT("input");
static struct inputq q = INPUTQ_INIT(echo);	/* [lock] */
static unsigned next_ticket;	/* [lock] the number the next reader takes */
static unsigned serving;	/* [lock] the ticket now being served */

/* Caller holds lock: echo order on the screen is the order of input. */
static void echo(const char *s, unsigned n)
{
	console_write(s, n);
}

void input_put(char c)
{
	uint32_t f = spin_lock(&lock);
	inputq_put(&q, c);
	spin_unlock(&lock, f);
}

/*
 * Wait until input_put may have added something. Caller holds lock,
 * taken with interrupts on; returns with it held again.
 *
 * THE SCHEDULER HOOK: for now this halts the CPU until the next
 * interrupt. With the scheduler it becomes a sleep on a wait queue
 * (take sched_lock, drop lock, sched_block(&waiters), retake lock), and
 * input_put and reader_leave wake every waiter of that queue (each
 * rechecks its own condition); nothing else in this file changes.
 */
static void input_wait(void)
{
	spin_unlock(&lock, 0);	/* release, but keep interrupts off ... */
	sti_hlt();		/* ... until hlt: an IRQ cannot slip in between */
	spin_lock(&lock);
}

/* Take a ticket and wait for our turn; returns with lock held and the
 * flags to restore (pebbles-abi.md 5.3: one reader at a time, in order). */
static uint32_t reader_enter(void)
{
	uint32_t f = spin_lock(&lock);
	assert((f & EFLAGS_IF) && "a blocking reader has interrupts on");
	unsigned ticket = next_ticket++;
	while (serving != ticket)
		input_wait();
	return f;
}

/* Let the next reader in. Caller holds lock, taken by reader_enter. */
static void reader_leave(uint32_t f)
{
	serving++;
	spin_unlock(&lock, f);
}

int input_getchar(void)
{
	uint32_t f = reader_enter();
	int c;
	while ((c = inputq_getchar(&q)) < 0)
		input_wait();
	reader_leave(f);
	return c;
}

int input_readline(char *kbuf, int size)
{
	assert(size >= 0);
	if (size == 0)
		return 0;	/* pebbles-abi.md 5.4: consumes nothing */
	uint32_t f = reader_enter();
	int n;
	while ((n = inputq_readline(&q, kbuf, size)) < 0)
		input_wait();
	reader_leave(f);
	return n;
}
