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

/* Wake the threads waiting on s, if any. Caller holds the lock. */
static void wake(struct side *s)
{
	if (s->sleepers)
		cond_broadcast(&s->cond);
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

int pipe_read(struct pipe *p, struct uio *u, bool line)
{
	int err = 0;
	if (u->len == 0)
		return 0;
	mutex_lock(&p->lock);
	while (must_wait(p, u->len, line)) {
		err = wait_for(p, &p->readable);
		if (err < 0)
			goto out;
	}
	uint32_t n = readable_len(p, u->len, line), done = 0;
	while (done < n) {
		uint32_t chunk = FS_PIPE_BUF - p->head;
		if (chunk > n - done)
			chunk = n - done;
		err = uio_move(u, p->buf + p->head, chunk, true);
		if (err < 0)
			break;
		p->head = (p->head + chunk) % FS_PIPE_BUF;
		p->count -= chunk;
		done += chunk;
	}
	if (done)
		wake(&p->writable);
	err = done ? (int)done : err;
out:
	mutex_unlock(&p->lock);
	return err;
}

/* Copy up to n bytes of u into the ring's free space. Caller holds the
 * lock and has checked that n bytes fit. */
static int put(struct pipe *p, struct uio *u, uint32_t n)
{
	while (n > 0) {
		uint32_t tail = (p->head + p->count) % FS_PIPE_BUF;
		uint32_t chunk = FS_PIPE_BUF - tail;
		if (chunk > n)
			chunk = n;
		int err = uio_move(u, p->buf + tail, chunk, false);
		if (err < 0)
			return err;
		p->count += chunk;
		n -= chunk;
	}
	return 0;
}

int pipe_write(struct pipe *p, struct uio *u)
{
	uint32_t done = 0;
	int err = 0;
	mutex_lock(&p->lock);
	while (u->len > 0) {
		/* A small write waits for room for all of it: atomic. */
		uint32_t want = u->len <= FS_PIPE_BUF ? u->len : 1;
		if (p->readers == 0) {
			err = -EPIPE;
			break;
		}
		if (FS_PIPE_BUF - p->count < want) {
			err = wait_for(p, &p->writable);
			if (err < 0)
				break;
			continue;
		}
		uint32_t n = FS_PIPE_BUF - p->count < u->len ? FS_PIPE_BUF - p->count : u->len;
		uint32_t before = u->len;
		err = put(p, u, n);
		done += before - u->len;
		wake(&p->readable);
		if (err < 0)
			break;
	}
	mutex_unlock(&p->lock);
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
