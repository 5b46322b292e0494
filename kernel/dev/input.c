/*
 * input.c: the input stream (see input.h). inputq.c decides what is
 * stored, echoed and delivered; this file adds the lock the interrupt
 * handlers share with readers, the order of readers, and the waiting.
 *
 * Readers are served one at a time in arrival order by a kernel mutex
 * (FIFO hand-off); the reader being served sleeps on a wait queue until
 * input arrives. Both waits end early for a thread that task_vanish is
 * killing, which then returns -EINTR. A readline echoes what is typed
 * itself, woken by each key: the interrupt handlers only store and wake,
 * so they never wait for the console (which may sleep).
 */
#include "dev/input.h"
#include "dev/inputq.h"
#include "dev/console.h"
#include "lib/errno.h"
#include "lib/panic.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"
#include "debug/debug.h"

#define ECHO_CHUNK 64

/* A spinlock, not a mutex: the keyboard and serial IRQs write the buffer.
 * Lock order: lock, then sched_lock (docs/sync.md). */
/* Lock tags (docs/sync.md): [s] sched_lock, [l] lock, the input
 * spinlock, [m] readers, the mutex of the one reader. */
static struct spinlock lock = SPINLOCK_INIT("input");
static struct inputq q;		/* [l] */
static struct waitq waiters = WAITQ_INIT(waiters);	/* [s] the reader being served */
static struct mutex readers = MUTEX_INIT(readers, "input readers");	/* one reader at a time */
static char echo_buf[ECHO_CHUNK];	/* [m] echo on its way to the console */

void input_put(char c)
{
	uint32_t f = spin_lock(&lock);
	inputq_put(&q, c);
	uint32_t g = spin_lock(&sched_lock);
	if (c == '\n')
		sched_note_enter();	/* the latency probe */
	sched_wake_all(&waiters);
	spin_unlock(&sched_lock, g);
	spin_unlock(&lock, f);
}

/*
 * Sleep until input_put adds something; -EINTR if the thread is being
 * killed. Caller holds lock (so interrupts are off); it is dropped only
 * once we are queued under sched_lock, so no input_put is missed.
 * Returns with lock held again.
 */
static int input_wait(void)
{
	ASSERT_HELD(&lock);
	spin_lock(&sched_lock);
	spin_unlock(&lock, 0);		/* interrupts stay off */
	int err = sched_block_intr(&waiters);
	spin_unlock(&sched_lock, 0);
	spin_lock(&lock);
	return err;
}

/* Wait for our turn; false if killed meanwhile (then not our turn).
 * The wait is cut short by a kill: the reader ahead may be another
 * task's, blocked for as long as no key comes. */
static bool reader_enter(void)
{
	if (mutex_lock_intr(&readers) < 0)
		return false;
	if (curthread()->killed) {
		mutex_unlock(&readers);
		return false;
	}
	return true;
}

int input_getchar(void)
{
	if (!reader_enter())
		return -EINTR;
	uint32_t f = spin_lock(&lock);
	int c;
	while ((c = inputq_getchar(&q)) < 0)
		if (input_wait() < 0)
			break;
	spin_unlock(&lock, f);
	mutex_unlock(&readers);
	return c < 0 ? -EINTR : c;
}

/*
 * Write the echo the readline owes to the console, if any; true if there
 * was some. Caller holds readers and lock (taken with flags f); lock is
 * dropped meanwhile (the console may sleep) and held again on return.
 * Only the one reader echoes, so the screen still shows input in order.
 */
static bool echo(uint32_t f)
{
	ASSERT_HELD(&readers);
	ASSERT_HELD(&lock);
	unsigned n = inputq_echo(&q, echo_buf, sizeof echo_buf);
	if (n == 0)
		return false;
	spin_unlock(&lock, f);
	console_write(echo_buf, n);
	spin_lock(&lock);
	return true;
}

int input_readline(char *kbuf, int size)
{
	assert(size >= 0);
	if (size == 0)
		return 0;	/* docs/abi/console.md §4.2: consumes nothing */
	if (!reader_enter())
		return -EINTR;
	uint32_t f = spin_lock(&lock);
	int n;
	for (;;) {
		if (echo(f))
			continue;	/* the screen first: input may come meanwhile */
		if ((n = inputq_readline(&q, kbuf, size)) >= 0)
			break;
		if (input_wait() < 0) {
			n = -EINTR;
			break;
		}
	}
	spin_unlock(&lock, f);
	mutex_unlock(&readers);
	return n;
}
