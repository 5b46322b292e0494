/*
 * pipe.c: pipes (see pipe.h).
 *
 * A ring of FS_PIPE_BUF bytes under a mutex, with a condition for each
 * direction. Bytes are copied from and to user memory with the mutex
 * held: a fault there may sleep, which a mutex allows, and only the
 * address space's lock is taken inside it. The counts of ends say when
 * readers should see the end and writers the broken pipe; each close
 * wakes the other side so that it looks again.
 *
 * Each side counts its sleepers, so that a transfer wakes the other side
 * only when a thread of it sleeps: in a busy pipe most do not, and a
 * broadcast to nobody still takes the scheduler's lock. The count is
 * changed and read under the pipe's mutex, which cond_wait gives up only
 * once the sleeper is queued (cond.h), so a wake-up cannot be missed.
 *
 * Lock tags (docs/sync.md): [a] atomic, [m] the pipe's mutex, lock.
 */
#include "fs/pipe.h"
#include "lib/errno.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "proc/sched.h"
#include "sync/cond.h"
#include <fable/fs.h>

struct side {
	struct cond cond;
	int sleepers;		/* [m] threads waiting on cond */
};

struct pipe {
	struct mutex lock;
	struct side readable;	/* bytes came, or the last writer went */
	struct side writable;	/* room came, or the last reader went */
	char *buf;		/* [m] FS_PIPE_BUF bytes, a ring */
	uint32_t head;		/* [m] the oldest byte */
	uint32_t count;		/* [m] bytes in the ring */
	int readers, writers;	/* [m] ends still open */
};

static uint32_t nr_pipes;	/* [a] */

uint32_t pipe_count(void)
{
	return __atomic_load_n(&nr_pipes, __ATOMIC_RELAXED);
}

struct pipe *pipe_new(void)
{
	struct pipe *p = kzalloc(sizeof *p);
	if (!p)
		return NULL;
	p->buf = kmalloc(FS_PIPE_BUF);
	if (!p->buf) {
		kfree(p);
		return NULL;
	}
	mutex_init(&p->lock, "pipe");
	cond_init(&p->readable.cond);
	cond_init(&p->writable.cond);
	p->readers = p->writers = 1;
	__atomic_add_fetch(&nr_pipes, 1, __ATOMIC_RELAXED);
	return p;
}

uint32_t pipe_bytes(struct pipe *p)
{
	mutex_lock(&p->lock);
	uint32_t n = p->count;
	mutex_unlock(&p->lock);
	return n;
}

/* Wait until s is woken (or the thread is killed: -EINTR). Caller
 * holds the lock, and holds it again on return. */
static int wait_for(struct pipe *p, struct side *s)
{
	s->sleepers++;
	int err = cond_wait_intr(&s->cond, &p->lock);
	s->sleepers--;
	return err;
}

/* Wake the threads waiting on s, if any: did it? Caller holds the lock. */
static bool wake(struct side *s)
{
	if (!s->sleepers)
		return false;
	cond_broadcast(&s->cond);
	return true;
}

/* Is there a '\n' among the first max bytes? Caller holds the lock. */
static bool has_line(struct pipe *p, uint32_t max)
{
	for (uint32_t i = 0; i < p->count && i < max; i++)
		if (p->buf[(p->head + i) % FS_PIPE_BUF] == '\n')
			return true;
	return false;
}

/* How many bytes a read of max may take now: up to and including the
 * first '\n' for a line. Caller holds the lock. */
static uint32_t readable_len(struct pipe *p, uint32_t max, bool line)
{
	uint32_t n = p->count < max ? p->count : max;
	if (line)
		for (uint32_t i = 0; i < n; i++)
			if (p->buf[(p->head + i) % FS_PIPE_BUF] == '\n')
				return i + 1;
	return n;
}

/* Must a reader wait? For a line: until one is whole, the request or the
 * ring is full, or no writer is left. Caller holds the lock. */
static bool must_wait(struct pipe *p, uint32_t max, bool line)
{
	if (p->writers == 0)
		return false;
	if (!line)
		return p->count == 0;
	return !has_line(p, max) && p->count < max && p->count < FS_PIPE_BUF;
}

/* uio_move between the ring and u, with user memory's copy inline:
 * every byte through a pipe comes here (docs/performance.md). */
static inline int ring_move(struct uio *u, char *ring, uint32_t n, bool out)
{
	if (!u->user)
		return uio_move(u, ring, n, out);
	int err = out ? copy_to_user((uintptr_t)u->base, ring, n)
		      : copy_from_user(ring, (uintptr_t)u->base, n);
	if (err < 0)
		return err;
	u->base += n;
	u->len -= n;
	return 0;
}

/* Move n bytes (0 < n <= count) from the ring's head into u, in two
 * pieces if the ring wraps: the count moved, or -EFAULT if none was (a
 * fault in the second piece leaves the first one read). Caller holds
 * the lock. */
static int take(struct pipe *p, struct uio *u, uint32_t n)
{
	uint32_t first = FS_PIPE_BUF - p->head < n ? FS_PIPE_BUF - p->head : n;
	int err = ring_move(u, p->buf + p->head, first, true);
	if (err < 0)
		return err;
	if (first < n && ring_move(u, p->buf, n - first, true) < 0)
		n = first;
	p->head = (p->head + n) % FS_PIPE_BUF;
	p->count -= n;
	return (int)n;
}

int pipe_read(struct pipe *p, struct uio *u, bool line)
{
	uint32_t max = u->len;
	int err = 0;
	if (max == 0)
		return 0;
	struct thread *self = sched_self();	/* once: mutex.h */
	mutex_lock_as(&p->lock, self);
	while (must_wait(p, max, line))
		if ((err = wait_for(p, &p->readable)) < 0)
			goto out;
	uint32_t n = readable_len(p, max, line);
	if (n > 0 && (err = take(p, u, n)) > 0)
		wake(&p->writable);
out:
	mutex_unlock_as(&p->lock, self);
	return err;
}

/* Move n bytes (0 < n <= the free space) of u into the ring after its
 * last byte, in two pieces if the ring wraps: the count moved, or
 * -EFAULT if none was. Caller holds the lock. */
static int put(struct pipe *p, struct uio *u, uint32_t n)
{
	uint32_t tail = (p->head + p->count) % FS_PIPE_BUF;
	uint32_t first = FS_PIPE_BUF - tail < n ? FS_PIPE_BUF - tail : n;
	int err = ring_move(u, p->buf + tail, first, false);
	if (err < 0)
		return err;
	if (first < n && ring_move(u, p->buf, n - first, false) < 0)
		n = first;
	p->count += n;
	return (int)n;
}

/*
 * A writer whose bytes a reader waits for wakes it after giving up the
 * mutex, and hands it the CPU at once if it is the one thread that would
 * then wait to run (cond_broadcast_hand_off): it would run as soon as we
 * block, which a writer that waits for an answer (a round trip), or for
 * room (a stream), is about to do. The reader then takes the bytes
 * before the writer comes back, so the writer finds its answer, or
 * room, and need not sleep: one wait and one wake-up fewer per turn
 * (docs/performance.md, "Pipes"). The late wake-up misses nobody: the
 * reader counted in sleepers is queued on the condition until woken.
 * A writer that must wait for room wakes the readers first, under the
 * mutex, or nobody would make room.
 */
int pipe_write(struct pipe *p, struct uio *u)
{
	uint32_t done = 0;
	int err = 0;
	bool wake_readers = false;
	struct thread *self = sched_self();	/* once: mutex.h */
	mutex_lock_as(&p->lock, self);
	while (u->len > 0) {
		/* A small write waits for room for all of it: atomic. */
		uint32_t want = u->len <= FS_PIPE_BUF ? u->len : 1;
		uint32_t room = FS_PIPE_BUF - p->count;
		if (p->readers == 0) {
			err = -EPIPE;
			break;
		}
		if (room < want) {
			if (wake_readers)
				wake(&p->readable);
			wake_readers = false;
			if ((err = wait_for(p, &p->writable)) < 0)
				break;
			continue;
		}
		uint32_t n = room < u->len ? room : u->len;
		int moved = put(p, u, n);
		if (moved > 0) {
			done += moved;
			wake_readers |= p->readable.sleepers > 0;
		}
		if (moved != (int)n) {	/* a fault: what went in stays */
			err = moved < 0 ? moved : -EFAULT;
			break;
		}
	}
	mutex_unlock_as(&p->lock, self);
	if (wake_readers)
		cond_broadcast_hand_off(&p->readable.cond);
	return done ? (int)done : err;
}

void pipe_close(struct pipe *p, bool writer)
{
	mutex_lock(&p->lock);
	if (writer)
		p->writers--;
	else
		p->readers--;
	bool last = p->readers == 0 && p->writers == 0;
	wake(writer ? &p->readable : &p->writable);
	mutex_unlock(&p->lock);
	if (!last)
		return;
	kfree(p->buf);
	kfree(p);
	__atomic_sub_fetch(&nr_pipes, 1, __ATOMIC_RELAXED);
}
