/*
 * bcache.c: the block cache (bcache.h, docs/storage.md).
 *
 * Every buffer is on one list in the order it was last given a block,
 * or a second chance (victim()), oldest first, and, once it has held a
 * block, on a hash chain. bcache_lock guards the
 * bookkeeping (identity, references, dirty, io, the order links); a
 * buffer's own sleep lock guards its data. The cache lock is never held
 * across a transfer, and nobody takes a buffer's lock while holding the
 * cache lock unless the buffer is unreferenced (so the lock is free).
 *
 * Ordered writes: border(first, then) links first to then (first goes
 * on then's list of firsts); a write of then first writes every buffer
 * on its list. Such a dependency is
 * written without its own lock (its holder may be changing it): the
 * write happens after dirty is cleared, and a holder marks the buffer
 * dirty after its change, so a change the write missed is written later.
 * What the order promises is that the block is no longer stale on the
 * disk when the block pointing to it gets there.
 *
 * Lock tags (docs/sync.md): [b] boot, [m] bcache_lock.
 */
#include "fs/bcache.h"

static struct mutex bcache_lock = MUTEX_INIT(bcache_lock, "bcache");
static struct cond io_done = COND_INIT(io_done);	/* a write ended */
static struct buf *bufs;	/* [b] */
static uint32_t nbuf;		/* [b] */
static struct buf **hash;	/* [m] 2 * nbuf chains, rounded to 2^n */
static uint32_t hmask;		/* [b] */
static struct list lru;		/* [m] oldest first (victim()) */
static uint64_t hits, misses;	/* [m] */

int bcache_init(uint32_t n)
{
	if (n == 0)
		n = BCACHE_DEFAULT;
	n = n < BCACHE_MIN ? BCACHE_MIN : n > BCACHE_MAX ? BCACHE_MAX : n;
	uint32_t h = 1;
	while (h < 2 * n)
		h <<= 1;
	bufs = kzalloc(n * sizeof *bufs);
	hash = kzalloc(h * sizeof *hash);
	if (!bufs || !hash)
		goto fail;
	for (uint32_t i = 0; i < n; i++) {
		mutex_init(&bufs[i].lock, "buf");
		list_push_back(&lru, &bufs[i].lru);
	}
	nbuf = n;
	hmask = h - 1;
	return 0;
fail:
	kfree(bufs);
	kfree(hash);
	bufs = NULL;
	hash = NULL;
	list_init(&lru);
	return -ENOMEM;
}

static uint32_t hash_of(const struct blkdev *d, uint32_t blockno)
{
	return ((uint32_t)(uintptr_t)d / 16 + blockno * 2654435761u) & hmask;
}

/* The buffer holding (d, blockno), or NULL. Caller holds bcache_lock. */
static struct buf *find(struct blkdev *d, uint32_t blockno)
{
	ASSERT_HELD(&bcache_lock);
	for (struct buf *b = hash[hash_of(d, blockno)]; b; b = b->hnext)
		if (b->dev == d && b->blockno == blockno)
			return b;
	return NULL;
}

static void unhash(struct buf *b)
{
	if (!b->dev)
		return;
	struct buf **p = &hash[hash_of(b->dev, b->blockno)];
	while (*p != b)
		p = &(*p)->hnext;
	*p = b->hnext;
	b->dev = NULL;
}

/*
 * Writes b if it is dirty, after every buffer linked to it. Caller holds
 * bcache_lock (dropped during transfers) and a reference to b, and b's
 * lock unless b is written as a dependency. Returns 0 or -EIO.
 */
static int write_locked(struct buf *b)
{
	ASSERT_HELD(&bcache_lock);
	while (b->io)
		cond_wait(&io_done, &bcache_lock);
	b->io = true;		/* nobody else writes it meanwhile */
	int err = 0;
	while (!list_empty(&b->firsts)) {
		struct buf *f = list_first(&b->firsts, struct buf, order);
		f->refs++;
		int e = write_locked(f);
		f->refs--;
		if (e && !err)
			err = e;
	}
	if (b->dirty) {
		b->dirty = false;
		struct blkdev *d = b->dev;
		uint32_t spb = b->size / SECTOR_SIZE;
		mutex_unlock(&bcache_lock);
		int e = d->rw(d, b->blockno * spb, spb, b->data, true);
		mutex_lock(&bcache_lock);
		if (e && !err)
			err = -EIO;
	}
	if (b->then) {
		list_remove(&b->then->firsts, &b->order);
		b->then = NULL;
	}
	b->io = false;
	cond_broadcast(&io_done);
	if (err)
		klog(LOG_ERR, "bcache: %s: write of block %u failed", b->dev->name, b->blockno);
	return err;
}

/* b goes to the back of the list: the newest. */
static void to_back(struct buf *b)
{
	list_remove(&lru, &b->lru);
	list_push_back(&lru, &b->lru);
}

/*
 * The unreferenced buffer to recycle, or NULL if every buffer is in
 * use: the oldest on the list that nobody has found since it went to
 * the back (second chance: one that was found goes to the back, unused,
 * and the scan goes on). So a release is only a count going down,
 * and a block found again and again stays. If the buffer is dirty (or
 * others are ordered before it) it is written first and NULL returned
 * with *wrote set: the caller looks again, as the block it wants may
 * have been read meanwhile. Each buffer is passed at most twice.
 */
static struct buf *victim(bool *wrote)
{
	*wrote = false;
	struct buf *v = NULL;
	struct list_node *n = lru.head;
	for (uint32_t i = 0; n && i < 2 * nbuf; i++) {
		struct buf *b = list_entry(n, struct buf, lru);
		n = n->next;
		if (b->refs || b->io)
			continue;
		if (b->used) {
			b->used = false;
			to_back(b);
			continue;
		}
		v = b;
		break;
	}
	if (!v || (!v->dirty && list_empty(&v->firsts) && !v->then))
		return v;
	v->refs++;
	/* Its lock is taken outside bcache_lock, like everyone's: someone
	 * who found the block meanwhile may hold it, and we wait. */
	mutex_unlock(&bcache_lock);
	mutex_lock(&v->lock);
	mutex_lock(&bcache_lock);
	write_locked(v);
	mutex_unlock(&v->lock);
	v->refs--;
	*wrote = true;
	return NULL;
}

/* The buffer for (d, blockno, size), referenced and locked, with valid
 * telling whether it holds the block: 0, -ENOMEM or -EINVAL. */
static int get(struct blkdev *d, uint32_t blockno, uint32_t size, struct buf **out)
{
	if ((size != 1024 && size != 4096) || !d)
		return -EINVAL;
	mutex_lock(&bcache_lock);
	struct buf *b;
	for (;;) {
		b = find(d, blockno);
		if (b) {
			if (b->size != size) {
				mutex_unlock(&bcache_lock);
				return -EINVAL;
			}
			hits++;
			b->refs++;
			b->used = true;
			break;
		}
		bool wrote;
		b = victim(&wrote);
		if (b && !b->data && !(b->data = kmalloc(BCACHE_BSIZE_MAX))) {
			mutex_unlock(&bcache_lock);
			return -ENOMEM;
		}
		if (b) {
			misses++;
			unhash(b);
			b->dev = d;
			b->blockno = blockno;
			b->size = size;
			b->valid = false;
			b->refs = 1;
			b->used = false;
			to_back(b);
			uint32_t h = hash_of(d, blockno);
			b->hnext = hash[h];
			hash[h] = b;
			break;
		}
		if (!wrote) {
			mutex_unlock(&bcache_lock);
			return -ENOMEM;
		}
	}
	mutex_unlock(&bcache_lock);
	mutex_lock(&b->lock);
	*out = b;
	return 0;
}

int bread(struct blkdev *d, uint32_t blockno, uint32_t size, struct buf **out)
{
	struct buf *b;
	int err = get(d, blockno, size, &b);
	if (err)
		return err;
	if (!b->valid) {
		uint32_t spb = size / SECTOR_SIZE;
		if (blockno >= d->nsectors / spb ||
		    d->rw(d, blockno * spb, spb, b->data, false)) {
			brelse(b);
			return -EIO;
		}
		/* Released after the data: bhold, which does not take the
		 * buffer's lock, sees valid only with the block in data. */
		__atomic_store_n(&b->valid, true, __ATOMIC_RELEASE);
		b->fsok = false;
	}
	*out = b;
	return 0;
}

int bnew(struct blkdev *d, uint32_t blockno, uint32_t size, struct buf **out)
{
	struct buf *b;
	int err = get(d, blockno, size, &b);
	if (err)
		return err;
	memset(b->data, 0, size);
	b->fsok = false;
	mutex_lock(&bcache_lock);
	b->valid = true;
	b->dirty = true;
	mutex_unlock(&bcache_lock);
	*out = b;
	return 0;
}

void brelse(struct buf *b)
{
	mutex_unlock(&b->lock);
	mutex_lock(&bcache_lock);
	b->refs--;
	mutex_unlock(&bcache_lock);
}

uint32_t bhold(struct blkdev *d, const uint32_t *blocks, uint32_t n, uint32_t size,
	       struct buf **out)
{
	uint32_t k = 0;
	mutex_lock(&bcache_lock);
	for (; k < n && blocks[k]; k++) {
		struct buf *b = find(d, blocks[k]);
		if (!b || !__atomic_load_n(&b->valid, __ATOMIC_ACQUIRE) || b->size != size)
			break;
		b->refs++;
		b->used = true;
		out[k] = b;
	}
	hits += k;
	mutex_unlock(&bcache_lock);
	return k;
}

void bunhold(struct buf **bufs, uint32_t n)
{
	mutex_lock(&bcache_lock);
	for (uint32_t k = 0; k < n; k++)
		bufs[k]->refs--;
	mutex_unlock(&bcache_lock);
}

bool bpeek(struct blkdev *d, uint32_t blockno, uint32_t size, uint32_t i, uint32_t n,
	   uint32_t *w)
{
	mutex_lock(&bcache_lock);
	struct buf *b = find(d, blockno);
	bool ok = b && __atomic_load_n(&b->valid, __ATOMIC_ACQUIRE) && b->size == size &&
		  i <= size / 4 && n <= size / 4 - i;
	if (ok) {
		const uint32_t *src = (const uint32_t *)b->data + i;	/* data is kmalloc's: aligned */
		hits++;
		b->used = true;
		for (uint32_t k = 0; k < n; k++)
			w[k] = src[k];
	}
	mutex_unlock(&bcache_lock);
	return ok;
}

void bdirty(struct buf *b)
{
	ASSERT_HELD(&b->lock);
	b->fsok = false;
	mutex_lock(&bcache_lock);
	b->dirty = true;
	mutex_unlock(&bcache_lock);
}

int bwrite(struct buf *b)
{
	ASSERT_HELD(&b->lock);
	mutex_lock(&bcache_lock);
	int err = write_locked(b);
	mutex_unlock(&bcache_lock);
	return err;
}

void border(struct buf *first, struct buf *then)
{
	mutex_lock(&bcache_lock);
	if (first->then && first->then != then)
		write_locked(first);	/* already before another: now, then */
	if (first->dirty && !first->then && first != then) {
		first->then = then;
		list_push_back(&then->firsts, &first->order);
	}
	mutex_unlock(&bcache_lock);
}

/* Writes every dirty buffer of d (NULL: all), each under its lock. */
static int write_all(struct blkdev *d)
{
	int err = 0;
	mutex_lock(&bcache_lock);
	for (uint32_t i = 0; i < nbuf; i++) {
		struct buf *b = &bufs[i];
		if (!b->dev || (d && b->dev != d) || (!b->dirty && list_empty(&b->firsts)))
			continue;
		b->refs++;
		mutex_unlock(&bcache_lock);
		mutex_lock(&b->lock);
		mutex_lock(&bcache_lock);
		int e = write_locked(b);
		mutex_unlock(&bcache_lock);
		mutex_unlock(&b->lock);
		mutex_lock(&bcache_lock);
		b->refs--;
		if (e && !err)
			err = e;
	}
	mutex_unlock(&bcache_lock);
	return err;
}

int bcache_sync(struct blkdev *d)
{
	struct blkdev *devs[BLKDEV_MAX] = { d };
	uint32_t n = d ? 1 : 0;
	int err = write_all(d);
	/* Every device a buffer holds a block of, for a sync of all. */
	mutex_lock(&bcache_lock);
	for (uint32_t i = 0; !d && i < nbuf; i++) {
		uint32_t k = 0;
		while (k < n && devs[k] != bufs[i].dev)
			k++;
		if (bufs[i].dev && k == n && n < BLKDEV_MAX)
			devs[n++] = bufs[i].dev;
	}
	mutex_unlock(&bcache_lock);
	for (uint32_t k = 0; k < n; k++)
		if (devs[k]->flush && devs[k]->flush(devs[k]) && !err)
			err = -EIO;
	return err;
}

int bcache_drop(struct blkdev *d)
{
	int err = bcache_sync(d);
	mutex_lock(&bcache_lock);
	for (uint32_t i = 0; i < nbuf; i++)
		if (bufs[i].dev == d && bufs[i].refs == 0 && !bufs[i].dirty)
			unhash(&bufs[i]);
	mutex_unlock(&bcache_lock);
	return err;
}

void bcache_stats(struct bcache_stats *s)
{
	mutex_lock(&bcache_lock);
	s->nbuf = nbuf;
	s->hits = hits;
	s->misses = misses;
	mutex_unlock(&bcache_lock);
}
