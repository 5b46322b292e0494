/*
 * fs_native.h: the host's stand-ins for kernel/fs/kdep.h, so that the
 * block cache and ext2 compile unchanged into native tests: mutexes and
 * condition variables are pthreads' (with the owner recorded, so that
 * ASSERT_HELD really checks), kernel memory is malloc's, the log goes
 * to stderr when FS_NATIVE_VERBOSE is set, the clock is the host's.
 * Include it before any kernel file. Also gives the tests a block
 * device backed by memory or by a file, and vnode references and
 * uio_move as fs/vfs.c has them (kernel memory only).
 */
#ifndef FS_NATIVE_H
#define FS_NATIVE_H

/* Take the kernel headers' places. */
#define FS_KDEP_H
#define SYNC_MUTEX_H
#define SYNC_COND_H

#include <assert.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kernel/lib/errno.h"

struct mutex {
	pthread_mutex_t m;
	pthread_t owner;
	bool held;
	const char *name;
};

#define MUTEX_INIT(x, n) { PTHREAD_MUTEX_INITIALIZER, 0, false, n }

static inline void mutex_init(struct mutex *m, const char *name)
{
	pthread_mutex_init(&m->m, NULL);
	m->held = false;
	m->name = name;
}

static inline void mutex_lock(struct mutex *m)
{
	if (__atomic_load_n(&m->held, __ATOMIC_ACQUIRE) && pthread_equal(m->owner, pthread_self())) {
		fprintf(stderr, "FAIL: mutex %s is not recursive\n", m->name);
		abort();
	}
	pthread_mutex_lock(&m->m);
	m->owner = pthread_self();
	__atomic_store_n(&m->held, true, __ATOMIC_RELEASE);
}

static inline void mutex_unlock(struct mutex *m)
{
	assert(m->held && pthread_equal(m->owner, pthread_self()));
	__atomic_store_n(&m->held, false, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&m->m);
}

static inline bool mutex_held(const struct mutex *m)
{
	return __atomic_load_n(&m->held, __ATOMIC_ACQUIRE) && pthread_equal(m->owner, pthread_self());
}

#define ASSERT_HELD(l) assert(mutex_held(l))

struct cond {
	pthread_cond_t c;
};

#define COND_INIT(c) { PTHREAD_COND_INITIALIZER }

static inline void cond_init(struct cond *c)
{
	pthread_cond_init(&c->c, NULL);
}

static inline void cond_wait(struct cond *c, struct mutex *m)
{
	assert(mutex_held(m));
	m->held = false;
	pthread_cond_wait(&c->c, &m->m);
	m->owner = pthread_self();
	m->held = true;
}

static inline void cond_broadcast(struct cond *c)
{
	pthread_cond_broadcast(&c->c);
}

static inline void *kmalloc(size_t n)
{
	return malloc(n);
}

static inline void *kzalloc(size_t n)
{
	return calloc(1, n);
}

static inline void kfree(void *p)
{
	free(p);
}

enum { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

static int native_logs;		/* how many lines the code logged */

static inline void klog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void klog(int level, const char *fmt, ...)
{
	__atomic_add_fetch(&native_logs, 1, __ATOMIC_RELAXED);
	if (!getenv("FS_NATIVE_VERBOSE"))
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "[%d] ", level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static inline uint32_t rtc_now(void)
{
	return (uint32_t)time(NULL);
}

#include "kernel/fs/vfs.h"
#include "kernel/dev/blkdev.h"

struct vnode *vnode_get(struct vnode *v)
{
	__atomic_add_fetch(&v->refs, 1, __ATOMIC_RELAXED);
	return v;
}

void vnode_put(struct vnode *v)
{
	if (__atomic_sub_fetch(&v->refs, 1, __ATOMIC_ACQ_REL) == 0 && v->fs->ops->release)
		v->fs->ops->release(v);
}

/* ext2 copies a read straight out of its buffers; natively no uio is
 * user memory, so these are never called but must exist. */
static inline int copy_to_user(uintptr_t udst, const void *src, size_t n)
{
	memcpy((void *)udst, src, n);
	return 0;
}

static inline bool user_span_ok(uintptr_t va, size_t n)
{
	(void)va;
	(void)n;
	return true;
}

static inline int ucopy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
	return 0;
}

static inline int ucopy_gather(void *dst, const void *const *srcs, size_t n, size_t each)
{
	for (size_t i = 0; i < n; i++)
		memcpy((char *)dst + i * each, srcs[i], each);
	return 0;
}

int uio_move(struct uio *u, void *kbuf, uint32_t n, bool to_uio)
{
	if (n > u->len)
		return -EINVAL;
	memcpy(to_uio ? (void *)u->base : kbuf, to_uio ? kbuf : u->base, n);
	u->base += n;
	u->len -= n;
	return 0;
}

/* A disk in memory: priv is the bytes. fail_after >= 0 makes every
 * transfer after that many fail (a dying disk). */
struct memdisk {
	struct blkdev d;
	uint8_t *bytes;
	long fail_after;
	uint64_t writes;
};

static int memdisk_rw(struct blkdev *d, uint32_t sector, uint32_t count, void *buf, bool write)
{
	struct memdisk *m = d->priv;
	if ((uint64_t)sector + count > d->nsectors)
		return -EIO;
	if (m->fail_after >= 0 && m->fail_after-- == 0) {
		m->fail_after = 0;
		return -EIO;
	}
	uint8_t *p = m->bytes + (uint64_t)sector * SECTOR_SIZE;
	if (write) {
		memcpy(p, buf, (size_t)count * SECTOR_SIZE);
		m->writes++;
	} else {
		memcpy(buf, p, (size_t)count * SECTOR_SIZE);
	}
	return 0;
}

static int memdisk_flush(struct blkdev *d)
{
	(void)d;
	return 0;
}

static void memdisk_init(struct memdisk *m, uint8_t *bytes, size_t size)
{
	memset(m, 0, sizeof *m);
	strcpy(m->d.name, "mem");
	m->d.nsectors = (uint32_t)(size / SECTOR_SIZE);
	m->d.rw = memdisk_rw;
	m->d.flush = memdisk_flush;
	m->d.priv = m;
	m->bytes = bytes;
	m->fail_after = -1;
}

#endif
