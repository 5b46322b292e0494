/*
 * inode.c: ext2 inodes in memory (one per inode, found in the file
 * system's inode cache), their block maps (direct, single, double and
 * triple indirect), file data, truncation and the freeing of an inode
 * whose last link and last reference are gone (docs/files.md).
 *
 * Ordered writes: a newly allocated block is zero-filled in the cache
 * and ordered (border) before the block that points to it, so the
 * pointer never reaches the disk before the block's new contents. A
 * truncation writes the pointers it clears before it frees the blocks,
 * and a freed inode is written before its bit is cleared, so nothing
 * freed is reused while the disk still points to it.
 *
 * Lock tags (docs/sync.md): [c] constant.
 */
#include "fs/ext2/ext2_int.h"

static uint8_t zeros[BCACHE_BSIZE_MAX];	/* [c] holes read as these */

#define FREE_BATCH 32	/* pointers free_tree() copies out at a time; divides ptrs */

/* The inode table buffer holding inode ino, locked, and the inode in it. */
static int raw_inode(struct e2fs *f, uint32_t ino, struct buf **b, uint8_t **raw)
{
	uint32_t g = (ino - 1) / f->inodes_per_group, i = (ino - 1) % f->inodes_per_group;
	uint32_t at = i * f->inode_size;
	int err = ext2_bread(f, f->groups[g].inode_table + at / f->bsize, b);
	if (err)
		return err;
	*raw = (*b)->data + at % f->bsize;
	return 0;
}

int ext2_ibuf(struct e2ino *ip, struct buf **b, uint8_t **raw)
{
	return raw_inode(ifs(ip), ip->v.ino, b, raw);
}

/* Fills ip from the disk inode raw: 0, or -EIO (-EFBIG for a file too
 * large for this system) if it is not one this code can use. */
static int load(struct e2fs *f, struct e2ino *ip, const uint8_t *raw)
{
	ip->mode = get16(raw + DI_MODE);
	ip->links = get16(raw + DI_LINKS);
	ip->size = get32(raw + DI_SIZE);
	ip->atime = get32(raw + DI_ATIME);
	ip->ctime = get32(raw + DI_CTIME);
	ip->mtime = get32(raw + DI_MTIME);
	ip->nblocks = get32(raw + DI_BLOCKS);
	ip->flags = get32(raw + DI_FLAGS);
	ip->file_acl = get32(raw + DI_FILE_ACL);
	for (int k = 0; k < NBLOCK; k++)
		ip->block[k] = get32(raw + DI_BLOCK + 4 * k);
	if (ip->links == 0 || (ip->flags & FL_EXTENTS))
		return -EIO;
	switch (ip->mode & S_IFMT) {
	case S_IFREG:
		ip->v.type = VN_FILE;
		if (get32(raw + DI_SIZE_HIGH) || ip->size > VFS_FILE_MAX)
			return -EFBIG;
		return 0;
	case S_IFDIR:
		ip->v.type = VN_DIR;
		return ip->size && ip->size % f->bsize == 0 ? 0 : -EIO;
	case S_IFLNK:
		ip->v.type = VN_SYMLINK;
		return ip->size && ip->size < f->bsize ? 0 : -EIO;
	default:
		return -EIO;	/* devices, pipes, sockets: not here */
	}
}

/* The cached inode ino, or NULL. Caller holds icache_lock. */
static struct e2ino *cached(struct e2fs *f, uint32_t ino)
{
	ASSERT_HELD(&f->icache_lock);
	list_for_each(struct e2ino, ip, &f->icache, link)
		if (ip->v.ino == ino)
			return ip;
	return NULL;
}

/*
 * Waits until inode ino is not in the cache, or is and has references
 * (then takes one and returns it). An inode with none is being released
 * (vnode_put called release, or is about to): it is never revived, so
 * release runs once per last reference. Caller holds icache_lock.
 */
static struct e2ino *cached_ref(struct e2fs *f, uint32_t ino)
{
	for (;;) {
		struct e2ino *ip = cached(f, ino);
		if (!ip)
			return NULL;
		uint32_t r = __atomic_load_n(&ip->v.refs, __ATOMIC_ACQUIRE);
		if (r == 0) {
			cond_wait(&f->icache_gone, &f->icache_lock);
			continue;
		}
		if (__atomic_compare_exchange_n(&ip->v.refs, &r, r + 1, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return ip;
	}
}

/* A zeroed e2ino for ino: from the mount's pool if one is unused, else
 * the heap. Caller holds icache_lock. */
static struct e2ino *ialloc_mem(struct e2fs *f, uint32_t ino)
{
	ASSERT_HELD(&f->icache_lock);
	struct e2ino *ip;
	if (f->pool_free) {
		uint32_t i = (uint32_t)__builtin_ctz(f->pool_free);
		f->pool_free &= ~(1u << i);
		ip = &f->pool[i];
		memset(ip, 0, sizeof *ip);
	} else if (!(ip = kzalloc(sizeof *ip))) {
		return NULL;
	}
	ip->v.fs = &f->fs;
	ip->v.ino = ino;
	ip->v.refs = 1;
	ip->v.priv = ip;
	mutex_init(&ip->v.lock, "ext2 inode");
	return ip;
}

/* Gives ip's memory back, to the pool or the heap. Caller holds
 * icache_lock. */
static void ifree_mem(struct e2fs *f, struct e2ino *ip)
{
	ASSERT_HELD(&f->icache_lock);
	if (f->pool && ip >= f->pool && ip < f->pool + E2_POOL)
		f->pool_free |= 1u << (ip - f->pool);
	else
		kfree(ip);
}

int ext2_iget(struct e2fs *f, uint32_t ino, struct e2ino **out)
{
	if (ino < 1 || ino > f->inodes_count)
		return -EIO;
	mutex_lock(&f->icache_lock);
	struct e2ino *ip = cached_ref(f, ino);
	int err = 0;
	if (ip)
		goto out;
	err = -ENOMEM;
	if (!(ip = ialloc_mem(f, ino)))
		goto out;
	struct buf *b;
	uint8_t *raw;
	if ((err = raw_inode(f, ino, &b, &raw)) == 0) {
		err = load(f, ip, raw);
		brelse(b);
	}
	if (err) {
		if (err == -EIO)
			klog(LOG_WARN, "ext2: %s: inode %u is damaged", f->dev->name, ino);
		ifree_mem(f, ip);
		goto out;
	}
	list_push_back(&f->icache, &ip->link);
out:
	mutex_unlock(&f->icache_lock);
	if (!err)
		*out = ip;
	return err;
}

void ext2_iput(struct e2ino *ip)
{
	vnode_put(&ip->v);
}

int ext2_iupdate(struct e2ino *ip, bool now)
{
	struct buf *b;
	uint8_t *raw;
	int err = ext2_ibuf(ip, &b, &raw);
	if (err)
		return err;
	put16(raw + DI_MODE, ip->mode);
	put16(raw + DI_LINKS, ip->links);
	put32(raw + DI_SIZE, ip->size);
	put32(raw + DI_ATIME, ip->atime);
	put32(raw + DI_CTIME, ip->ctime);
	put32(raw + DI_MTIME, ip->mtime);
	put32(raw + DI_BLOCKS, ip->nblocks);
	put32(raw + DI_FLAGS, ip->flags);
	for (int k = 0; k < NBLOCK; k++)
		put32(raw + DI_BLOCK + 4 * k, ip->block[k]);
	if ((ip->mode & S_IFMT) == S_IFREG)
		put32(raw + DI_SIZE_HIGH, 0);
	bdirty(b);
	if (now)
		err = bwrite(b);
	brelse(b);
	return err;
}

/* ---- block maps --------------------------------------------------------- */

/*
 * Makes block nb, just allocated for ip, zero-filled in the cache (a
 * directory's data block as one empty entry, so that it is a valid
 * directory block from the start), ordered before holder (the buffer
 * that will point to it) and counted in ip->nblocks. Caller holds ip's
 * lock and holder's.
 *
 * The block is allocated before holder is locked, never while: the
 * allocator takes bitmap and descriptor buffers under alloc_lock, so
 * alloc_lock comes before every buffer lock (docs/sync.md, "The
 * lock-order checker").
 */
static int fill_new(struct e2ino *ip, uint32_t nb, struct buf *holder, bool leaf)
{
	struct e2fs *f = ifs(ip);
	struct buf *b;
	int err = bnew(f->dev, nb, f->bsize, &b);
	if (err)
		return err;
	if (leaf && ip->v.type == VN_DIR)
		put16(b->data + DE_REC_LEN, (uint16_t)f->bsize);
	border(b, holder);
	brelse(b);
	ip->nblocks += f->bsize / SECTOR_SIZE;
	return 0;
}

/* The first block of ip's group: where its blocks go by default. */
static uint32_t home(struct e2ino *ip)
{
	struct e2fs *f = ifs(ip);
	return f->first_data_block + (ip->v.ino - 1) / f->inodes_per_group * f->blocks_per_group;
}

/* Allocates the block of slot k of ip's block array (in the disk inode
 * as well, so that the new block is ordered before it). */
static int alloc_slot(struct e2ino *ip, int k, bool leaf, uint32_t *out)
{
	struct e2fs *f = ifs(ip);
	struct buf *ib;
	uint8_t *raw;
	uint32_t goal = k > 0 && ip->block[k - 1] ? ip->block[k - 1] + 1 : home(ip);
	int err = ext2_balloc(f, goal, out);
	if (err)
		return err;
	if ((err = ext2_ibuf(ip, &ib, &raw)) == 0) {
		if ((err = fill_new(ip, *out, ib, leaf)) == 0) {
			ip->block[k] = *out;
			put32(raw + DI_BLOCK + 4 * k, *out);
			put32(raw + DI_BLOCKS, ip->nblocks);
			bdirty(ib);
		}
		brelse(ib);
	}
	if (err)
		ext2_bfree(f, *out);
	return err;
}

/* Allocates the block that entry i of indirect block blk points to
 * (near goal): 0 with *out, or an error. The entry was 0, and stays so
 * until this writes it: the caller holds ip's lock. */
static int alloc_entry(struct e2ino *ip, uint32_t blk, uint32_t goal, uint32_t i, bool leaf,
		       uint32_t *out)
{
	struct e2fs *f = ifs(ip);
	struct buf *ib;
	int err = ext2_balloc(f, goal, out);
	if (err)
		return err;
	if ((err = ext2_bread(f, blk, &ib)) == 0) {
		if ((err = fill_new(ip, *out, ib, leaf)) == 0) {
			put32(ib->data + 4 * i, *out);
			bdirty(ib);
		}
		brelse(ib);
	}
	if (err)
		ext2_bfree(f, *out);
	return err;
}

/*
 * Where block lbn of a file is in the block map: the inode's slot, the
 * depth of indirect blocks below it, and the index in each of them
 * (idx[0] in the top one). -EFBIG past what the map can hold, else 0.
 * ptrs is 256 or 1024, so p * p * p fits 32 bits, and shifts divide.
 */
static inline int map_place(const struct e2fs *f, uint32_t lbn, int *depth, int *slot, uint32_t idx[3])
{
	uint32_t p = f->ptrs, shift = (uint32_t)__builtin_ctz(p), n = lbn;
	if (n < NDIR) {
		*depth = 0, *slot = (int)n;
	} else if ((n -= NDIR) < p) {
		*depth = 1, *slot = NDIR;
	} else if ((n -= p) < p * p) {
		*depth = 2, *slot = NDIR + 1;
	} else if ((n -= p * p) < p * p * p) {
		*depth = 3, *slot = NDIR + 2;
	} else {
		return -EFBIG;
	}
	for (int d = *depth - 1; d >= 0; d--, n >>= shift)
		idx[d] = n & (p - 1);
	return 0;
}

static void bad_pointer(struct e2ino *ip)
{
	klog(LOG_WARN, "ext2: %s: inode %u has a bad block pointer", ifs(ip)->dev->name, ip->v.ino);
}

/*
 * Entries [i, i + n) of pointer block b into w (n at most RUN_MAX), as
 * they are on the disk (get32 reads them), for a walk under ip's lock:
 * copied out of the cache (bpeek) if it holds the block, as no writer
 * can change them meanwhile, else through bread. 0 or an error.
 */
static inline int map_words(struct e2fs *f, uint32_t b, uint32_t i, uint32_t n, uint32_t *w)
{
	if (bpeek(f->dev, b, f->bsize, i, n, w))
		return 0;
	struct buf *ib;
	int err = ext2_bread(f, b, &ib);
	if (err)
		return err;
	memcpy(w, ib->data + 4 * i, 4 * n);
	brelse(ib);
	return 0;
}

/* ext2_bmap without alloc: a walk down that only reads, taking the one
 * entry it needs of each pointer block (map_words). Inline in both its
 * callers: read_one's pread of a block is a few hundred instructions. */
static inline __attribute__((always_inline)) int map_read(struct e2ino *ip, uint32_t lbn,
							  uint32_t *out)
{
	struct e2fs *f = ifs(ip);
	uint32_t idx[3], path[3];
	int depth, slot, err = 0;
	if (map_place(f, lbn, &depth, &slot, idx))
		return -EFBIG;
	uint32_t b = ip->block[slot];
	for (int d = 0; b; d++) {
		if (!block_ok(f, b)) {
			err = -EIO;
			break;
		}
		for (int k = 0; k < d; k++)
			if (path[k] == b)
				err = -EIO;
		if (err || d == depth)
			break;
		path[d] = b;
		if ((err = map_words(f, b, idx[d], 1, &b)))
			break;
		b = get32((const uint8_t *)&b);
	}
	if (err == -EIO)
		bad_pointer(ip);
	*out = err ? 0 : b;
	return err;
}

/*
 * The disk block of ip's block lbn: 0 with *out (0 for a hole, unless
 * alloc, which fills holes, indirect blocks included), -EFBIG past what
 * the map can hold, -EIO for a pointer outside the data blocks or one
 * pointing back up its own chain. Caller holds ip's lock.
 */
int ext2_bmap(struct e2ino *ip, uint32_t lbn, bool alloc, uint32_t *out)
{
	struct e2fs *f = ifs(ip);
	uint32_t idx[3];
	int depth, slot;
	if (!alloc)
		return map_read(ip, lbn, out);
	if (map_place(f, lbn, &depth, &slot, idx))
		return -EFBIG;
	uint32_t b = ip->block[slot], path[3];
	int err = 0;
	if (b == 0)
		err = alloc_slot(ip, slot, depth == 0, &b);
	else if (b && !block_ok(f, b))
		err = -EIO;
	for (int d = 0; d < depth && b && !err; d++) {
		path[d] = b;
		uint32_t w[2] = { 0, 0 };	/* the entry before, and the entry */
		if ((err = idx[d] ? map_words(f, b, idx[d] - 1, 2, w) :
				    map_words(f, b, 0, 1, w + 1)))
			break;
		uint32_t prev = get32((const uint8_t *)&w[0]), nb = get32((const uint8_t *)&w[1]);
		if (nb == 0) {
			/* Right after the block before it, if any: a search
			 * from b would pass over all the file's blocks. */
			uint32_t goal = prev ? prev + 1 : b + 1;
			err = alloc_entry(ip, b, goal, idx[d], d == depth - 1, &nb);
		} else {
			for (int k = 0; k <= d; k++)
				if (path[k] == nb)
					err = -EIO;
			if (!block_ok(f, nb))
				err = -EIO;
		}
		b = nb;
	}
	if (err == -EIO)
		bad_pointer(ip);
	*out = err ? 0 : b;
	return err;
}

/*
 * A run [*lo, *lo + *nok) of blocks around leaf nb that may all be a
 * file's leaves: they pass block_ok (ok_run) and none is a block of the
 * path down to them (unused entries of path are 0, never a leaf), which
 * cut the run short. 0, or -EIO if nb itself is neither. Not inline: it
 * runs once a run, and inline it takes the registers of the loop that
 * calls it.
 */
static __attribute__((noinline)) int leaf_run(const struct e2fs *f, uint32_t nb,
					      const uint32_t path[3], uint32_t *lo, uint32_t *nok)
{
	if (nb == path[0] || nb == path[1] || nb == path[2] || ok_run(f, nb, lo, nok))
		return -EIO;
	if (nb - *lo >= *nok) {		/* outside its group's run: alone */
		*lo = nb;
		*nok = 1;
		return 0;
	}
	for (int k = 0; k < 3; k++) {
		uint32_t b = path[k];
		if (b - *lo >= *nok)
			continue;
		if (b < nb) {
			*nok -= b + 1 - *lo;
			*lo = b + 1;
		} else {
			*nok = b - *lo;
		}
	}
	return 0;
}

int ext2_bmap_run(struct e2ino *ip, uint32_t lbn, uint32_t max, uint32_t *out)
{
	struct e2fs *f = ifs(ip);
	uint32_t idx[3], path[3] = { 0, 0, 0 }, n = 0;
	int depth, slot, err = 0;
	if (map_place(f, lbn, &depth, &slot, idx))
		return -EFBIG;
	if (depth == 0) {
		for (; n < max && slot + n < NDIR && !err; n++)
			if ((out[n] = ip->block[slot + n]) && !block_ok(f, out[n]))
				err = -EIO;
		goto out;
	}
	uint32_t b = ip->block[slot], lo = 0, nok = 0;
	for (int d = 0; d < depth && b; d++) {
		if (!block_ok(f, b) || b == path[0] || b == path[1]) {
			err = -EIO;
			goto out;
		}
		path[d] = b;
		if (d == depth - 1)
			break;
		if ((err = map_words(f, b, idx[d], 1, &b)))
			goto out;
		b = get32((const uint8_t *)&b);
	}
	if (!b) {		/* a hole above the leaves */
		out[0] = 0;
		n = 1;
		goto out;
	}
	/* The leaves, copied out of their pointer block, then checked: one
	 * compare each, with a run known good (leaf_run). */
	if (max > f->ptrs - idx[depth - 1])
		max = f->ptrs - idx[depth - 1];
	if ((err = map_words(f, b, idx[depth - 1], max, out)))
		goto out;
	for (; n < max; n++) {
		uint32_t nb = get32((const uint8_t *)&out[n]);
		out[n] = nb;
		if (nb && nb - lo >= nok && (err = leaf_run(f, nb, path, &lo, &nok)))
			break;
	}
out:
	if (err == -EIO)
		bad_pointer(ip);
	return err ? err : (int)n;
}

/* ---- file data ---------------------------------------------------------- */

#define RUN_MAX 16	/* blocks a read maps at once: 64 KiB of 4 KiB blocks */

/* n bytes of src out to u, as uio_move does, inline: once a block. */
static inline int move_out(struct uio *u, const void *src, uint32_t n)
{
	if (!u->user)
		memcpy(u->base, src, n);
	else if (copy_to_user((uintptr_t)u->base, src, n) < 0)
		return -EFAULT;
	u->base += n;
	u->len -= n;
	return 0;
}

/* n bytes out to u from the held buffers, the first from boff on, one
 * copy a block: the bytes moved before a fault stopped it, if one did.
 * Caller has checked a user range. */
static uint32_t copy_held(struct uio *u, struct buf *const *held, uint32_t boff, uint32_t n,
			  uint32_t bsize)
{
	char *dst = u->base, *end = dst + n;
	for (uint32_t m = bsize - boff; dst < end; dst += m, boff = 0, m = bsize) {
		if (m > (uint32_t)(end - dst))
			m = (uint32_t)(end - dst);
		const uint8_t *src = (*held++)->data + boff;
		if (!u->user)
			memcpy(dst, src, m);
		else if (ucopy(dst, src, m))
			break;
	}
	return (uint32_t)(dst - u->base);
}

/*
 * n bytes (n > 0) out to u from the held buffers (at most RUN_MAX), the
 * first from boff on (n <= the bytes they hold from there): the user
 * range is checked once for them all, and a run of whole blocks goes in
 * one ucopy_gather. The bytes moved, or -EFAULT if none (a fault stops
 * at the block it hits: after a fault in the gather, the blocks are
 * copied again one at a time to find it).
 */
static int move_held(struct uio *u, struct buf *const *held, uint32_t boff, uint32_t n,
		     uint32_t bsize)
{
	uint32_t whole = boff || !u->user ? 0 : n / bsize, moved = 0;
	const void *src[RUN_MAX];
	if (u->user && !user_span_ok((uintptr_t)u->base, n))
		return -EFAULT;
	for (uint32_t i = 0; i < whole; i++)
		src[i] = held[i]->data;
	if (whole && ucopy_gather(u->base, src, whole, bsize) == 0)
		moved = whole * bsize;
	u->base += moved;
	u->len -= moved;
	if (moved < n) {
		uint32_t more = copy_held(u, held + moved / bsize, boff, n - moved, bsize);
		u->base += more;
		u->len -= more;
		moved += more;
	}
	return moved ? (int)moved : -EFAULT;
}

/* Block blk (0: a hole, zeros) from boff on, m bytes, out to u through
 * a locked buffer: a block the cache does not hold yet. m or an error. */
static int read_block(struct e2fs *f, uint32_t blk, uint32_t boff, uint32_t m, struct uio *u)
{
	if (blk == 0)
		return move_out(u, zeros, m) ? -EFAULT : (int)m;
	struct buf *b;
	int err = ext2_bread(f, blk, &b);
	if (err)
		return err;
	err = move_out(u, b->data + boff, m);
	brelse(b);
	return err ? err : (int)m;
}

/* n bytes of ip from off on out to u, all within one block: the block
 * mapped alone (map_read), without a run's set-up, and copied with one
 * ucopy. n or an error. */
static int read_one(struct e2ino *ip, uint32_t off, uint32_t n, struct uio *u)
{
	struct e2fs *f = ifs(ip);
	uint32_t blk;
	struct buf *b;
	int err = map_read(ip, off / f->bsize, &blk);
	if (err)
		return err;
	if (blk == 0 || !bhold(f->dev, &blk, 1, f->bsize, &b))
		return read_block(f, blk, off % f->bsize, n, u);
	err = move_out(u, b->data + off % f->bsize, n);
	bunhold(&b, 1);
	return err ? err : (int)n;
}

/*
 * n bytes of ip from off on out to u (n > 0, within the file). A run of
 * up to RUN_MAX blocks is mapped with one walk; of those the cache
 * holds, bhold takes references in one go and the bytes are copied
 * straight out of the buffers without their locks: every writer of this
 * file's data holds ip's lock, as we do. The rest come through bread.
 */
static int read_data(struct e2ino *ip, uint32_t off, uint32_t n, struct uio *u)
{
	struct e2fs *f = ifs(ip);
	uint32_t done = 0, bsize = f->bsize, run[RUN_MAX];
	struct buf *held[RUN_MAX];
	if (off % bsize + n <= bsize)
		return read_one(ip, off, n, u);
	while (done < n) {
		uint32_t boff = off % bsize, want = (n - done + boff + bsize - 1) / bsize;
		int got = ext2_bmap_run(ip, off / bsize, want < RUN_MAX ? want : RUN_MAX, run);
		if (got < 0)
			return done ? (int)done : got;
		for (uint32_t i = 0; i < (uint32_t)got && done < n; boff = 0) {
			uint32_t k = bhold(f->dev, run + i, (uint32_t)got - i, bsize, held);
			uint32_t m = (k ? k * bsize : bsize) - boff;
			if (m > n - done)
				m = n - done;
			int r;
			if (k) {
				r = move_held(u, held, boff, m, bsize);
				bunhold(held, k);
			} else {
				r = read_block(f, run[i], boff, m, u);
			}
			if (r < 0)
				return done ? (int)done : r;
			done += (uint32_t)r;
			off += (uint32_t)r;
			if ((uint32_t)r < m)
				return (int)done;	/* a fault part way */
			i += k ? k : 1;
		}
	}
	return (int)done;
}

int ext2_rdwr(struct e2ino *ip, uint32_t off, struct uio *u, bool write)
{
	struct e2fs *f = ifs(ip);
	ASSERT_HELD(&ip->v.lock);
	uint32_t n = u->len;
	if (!write) {
		if (off >= ip->size || n == 0)
			return 0;
		return read_data(ip, off, n < ip->size - off ? n : ip->size - off, u);
	}
	if (off >= VFS_FILE_MAX && n)
		return -EFBIG;
	if (n > VFS_FILE_MAX - off)
		n = VFS_FILE_MAX - off;
	uint32_t done = 0;
	int err = 0;
	while (done < n) {
		uint32_t boff = off % f->bsize, m = f->bsize - boff, blk, lbn = off / f->bsize;
		if (m > n - done)
			m = n - done;
		if ((err = ext2_bmap(ip, lbn, true, &blk)))
			break;
		struct buf *b;
		if ((err = ext2_bread(f, blk, &b)))
			break;
		err = uio_move(u, b->data + boff, m, false);
		if (!err)
			bdirty(b);
		brelse(b);
		if (err)
			break;
		done += m;
		off += m;
		if (off > ip->size)
			ip->size = off;
	}
	if (done) {
		ip->mtime = ip->ctime = ext2_now();
		int e = ext2_iupdate(ip, false);
		if (!err)
			err = e;
	}
	return done ? (int)done : err;
}

/* ---- truncation --------------------------------------------------------- */

struct cut {
	uint32_t blk, level;	/* a block and the levels of pointers below it */
};

/* Zeroes ip's bytes from size to the end of their block, so that a file
 * growing later reads zeros there. */
static int zero_tail(struct e2ino *ip, uint32_t size)
{
	struct e2fs *f = ifs(ip);
	uint32_t boff = size % f->bsize, blk;
	if (boff == 0)
		return 0;
	int err = ext2_bmap(ip, size / f->bsize, false, &blk);
	if (err || blk == 0)
		return err;
	struct buf *b;
	if ((err = ext2_bread(f, blk, &b)))
		return err;
	memset(b->data + boff, 0, f->bsize - boff);
	bdirty(b);
	brelse(b);
	return 0;
}

/*
 * In the indirect block blk with level levels below it, clears every
 * pointer to blocks from relative block from on (0 < from), recording
 * what it clears in cuts, and writes blk before returning (the pointers
 * are gone from the disk before anything is freed). up: blocks above.
 */
static int cut_tree(struct e2ino *ip, uint32_t blk, uint32_t level, uint64_t from,
		    struct cut *cuts, uint32_t *n, const uint32_t *up, uint32_t nup)
{
	struct e2fs *f = ifs(ip);
	uint64_t span = 1;
	for (uint32_t l = 1; l < level; l++)
		span *= f->ptrs;
	uint32_t i0 = (uint32_t)(from / span), path[4];
	uint64_t rem = from % span;
	for (uint32_t k = 0; k < nup; k++) {
		if (up[k] == blk)
			return -EIO;
		path[k] = up[k];
	}
	path[nup] = blk;
	struct buf *b;
	int err = ext2_bread(f, blk, &b);
	if (err)
		return err;
	bool changed = false;
	for (uint32_t i = i0; i < f->ptrs && !err; i++) {
		uint32_t c = get32(b->data + 4 * i);
		if (c == 0)
			continue;
		if (!block_ok(f, c)) {
			err = -EIO;
		} else if (i == i0 && rem) {
			err = cut_tree(ip, c, level - 1, rem, cuts, n, path, nup + 1);
		} else {
			cuts[(*n)++] = (struct cut){ c, level - 1 };
			put32(b->data + 4 * i, 0);
			changed = true;
		}
	}
	if (changed) {
		bdirty(b);
		int e = bwrite(b);
		if (!err)
			err = e;
	}
	brelse(b);
	return err;
}

/* Frees blk and, if it is an indirect block (level > 0), everything
 * below it; up holds the nup indirect blocks above it (a pointer back
 * to one of them is damage, not a loop to follow). Damage found on the
 * way (pointers out of range, blocks already free) is skipped and
 * reported as -EIO. The pointers are copied out a batch at a time, so
 * that no buffer is locked when ext2_bfree() takes alloc_lock; nobody
 * else changes a block the tree no longer reaches. */
static int free_tree(struct e2ino *ip, uint32_t blk, uint32_t level, const uint32_t *up,
		     uint32_t nup)
{
	struct e2fs *f = ifs(ip);
	uint32_t path[4];	/* up to three above, and blk */
	int err = 0;
	for (uint32_t k = 0; k < nup; k++) {
		if (up[k] == blk)
			return -EIO;
		path[k] = up[k];
	}
	path[nup] = blk;
	for (uint32_t i = 0; level > 0 && i < f->ptrs; i += FREE_BATCH) {
		uint32_t batch[FREE_BATCH];
		struct buf *b;
		int e = ext2_bread(f, blk, &b);
		if (e)
			return e;
		for (uint32_t k = 0; k < FREE_BATCH; k++)
			batch[k] = get32(b->data + 4 * (i + k));
		brelse(b);
		for (uint32_t k = 0; k < FREE_BATCH; k++) {
			uint32_t c = batch[k];
			int e = 0;
			if (c)
				e = block_ok(f, c) ? free_tree(ip, c, level - 1, path, nup + 1) : -EIO;
			if (e && !err)
				err = e;
		}
	}
	int e = ext2_bfree(f, blk);
	if (!e) {
		uint32_t spb = f->bsize / SECTOR_SIZE;
		ip->nblocks = ip->nblocks > spb ? ip->nblocks - spb : 0;
	}
	return err ? err : e;
}

bool ext2_fast_link(struct e2ino *ip)
{
	uint32_t acl = ip->file_acl ? ifs(ip)->bsize / SECTOR_SIZE : 0;
	return ip->v.type == VN_SYMLINK && ip->nblocks == acl;
}

int ext2_itrunc(struct e2ino *ip, uint32_t size)
{
	struct e2fs *f = ifs(ip);
	if (size > VFS_FILE_MAX)
		return -EFBIG;
	if (ext2_fast_link(ip)) {
		/* Its "block numbers" are its target's bytes: no blocks. */
		if (size)
			return -EINVAL;
		memset(ip->block, 0, sizeof ip->block);
		ip->size = 0;
		return ext2_iupdate(ip, false);
	}
	int err = zero_tail(ip, size < ip->size ? size : ip->size);
	if (err)
		return err;
	ip->mtime = ip->ctime = ext2_now();
	if (size >= ip->size) {
		ip->size = size;
		return ext2_iupdate(ip, false);
	}
	uint64_t first = (size + (uint64_t)f->bsize - 1) / f->bsize, base = NDIR, span = 1;
	/* From block NDIR on down (an unlink's 0 among them) whole trees go,
	 * one cut per pointer of the inode; only a cut inside an indirect
	 * tree (cut_tree) can make more. */
	struct cut few[NBLOCK], *cuts = few;
	if (first > NDIR && !(cuts = kmalloc((NBLOCK + 3 * f->ptrs) * sizeof *cuts)))
		return -ENOMEM;
	uint32_t n = 0;
	for (uint32_t k = first; k < NDIR; k++)
		if (ip->block[k]) {
			cuts[n++] = (struct cut){ ip->block[k], 0 };
			ip->block[k] = 0;
		}
	for (uint32_t t = 1; t <= 3 && !err; t++) {
		span *= f->ptrs;
		uint32_t *root = &ip->block[NDIR + t - 1];
		if (*root && !block_ok(f, *root)) {
			err = -EIO;
		} else if (*root && first <= base) {
			cuts[n++] = (struct cut){ *root, t };
			*root = 0;
		} else if (*root && first < base + span) {
			err = cut_tree(ip, *root, t, first - base, cuts, &n, NULL, 0);
		}
		base += span;
	}
	ip->size = size;
	int e = ext2_iupdate(ip, true);	/* the pointers are gone: now free */
	if (!err)
		err = e;
	for (uint32_t i = 0; i < n && !e; i++) {
		int e2 = free_tree(ip, cuts[i].blk, cuts[i].level, NULL, 0);
		if (e2 && !err)
			err = e2;
	}
	if (cuts != few)
		kfree(cuts);
	e = ext2_iupdate(ip, false);
	return err ? err : e;
}

/* ---- new inodes and the last reference ---------------------------------- */

int ext2_inew(struct e2fs *f, struct e2ino *near, uint16_t mode, struct e2ino **out)
{
	uint32_t ino;
	bool dir = (mode & S_IFMT) == S_IFDIR;
	int err = ext2_ialloc(f, near->v.ino, dir, &ino);
	if (err)
		return err;
	mutex_lock(&f->icache_lock);
	struct e2ino *ip = ialloc_mem(f, ino);
	if (!ip) {
		mutex_unlock(&f->icache_lock);
		ext2_ifree(f, ino, dir);
		return -ENOMEM;
	}
	ip->mode = mode;
	ip->links = 1;
	ip->v.type = dir ? VN_DIR : (mode & S_IFMT) == S_IFLNK ? VN_SYMLINK : VN_FILE;
	ip->atime = ip->mtime = ip->ctime = ext2_now();
	while (cached(f, ino))	/* its last user is still leaving */
		cond_wait(&f->icache_gone, &f->icache_lock);
	list_push_back(&f->icache, &ip->link);
	mutex_unlock(&f->icache_lock);
	/* The whole slot, extra space included, starts as zeros. */
	struct buf *b;
	uint8_t *raw;
	if ((err = ext2_ibuf(ip, &b, &raw)) == 0) {
		memset(raw, 0, f->inode_size);
		bdirty(b);
		brelse(b);
	}
	if (err) {
		ip->links = 0;	/* release frees the number again */
		ext2_iput(ip);
		return err;
	}
	*out = ip;
	return 0;
}

/*
 * Drops a deleted inode's reference to its extended-attribute block
 * (acl; the inode no longer names it on the disk): the block's
 * reference count goes down, and the block is freed with the last.
 */
static int drop_xattr(struct e2ino *ip, uint32_t acl)
{
	struct e2fs *f = ifs(ip);
	struct buf *b;
	if (!block_ok(f, acl))
		return -EIO;
	int err = ext2_bread(f, acl, &b);
	if (err)
		return err;
	uint32_t refs = get32(b->data + XATTR_REFCOUNT);
	bool last = refs <= 1;
	if (get32(b->data) != XATTR_MAGIC) {
		err = -EIO;
	} else if (!last) {
		put32(b->data + XATTR_REFCOUNT, refs - 1);
		bdirty(b);
		err = bwrite(b);
	}
	brelse(b);
	return !err && last ? ext2_bfree(f, acl) : err;
}

/*
 * Frees ip, whose last link went, on the disk: its blocks, then the inode
 * written as deleted, and only then its number, free for reuse. Caller
 * holds a change (ext2_change_begin) or has stopped them.
 */
static void idelete(struct e2ino *ip)
{
	struct e2fs *f = ifs(ip);
	bool dir = ip->v.type == VN_DIR;
	uint32_t acl = ip->file_acl;
	int err = ext2_itrunc(ip, 0);
	struct buf *b;
	uint8_t *raw;
	if (!err && (err = ext2_ibuf(ip, &b, &raw)) == 0) {
		put16(raw + DI_LINKS, 0);
		put32(raw + DI_DTIME, ext2_now() | 1);
		put32(raw + DI_FILE_ACL, 0);
		bdirty(b);
		err = bwrite(b);
		brelse(b);
	}
	if (!err && acl)
		err = drop_xattr(ip, acl);
	if (!err) {
		if (dir)
			ext2_names_forget(f, ip->v.ino);
		err = ext2_ifree(f, ip->v.ino, dir);
	}
	if (err)
		klog(LOG_WARN, "ext2: %s: inode %u not freed (error %d)",
		     f->dev->name, ip->v.ino, err);
	ip->deleted = true;
}

/*
 * The last reference to v went (vnode_put). If its last link went too,
 * it is freed on the disk. Once changes have stopped (the machine is
 * halting) such an inode stays in the cache for ext2_reap() instead.
 */
void ext2_release(struct vnode *v)
{
	struct e2ino *ip = E2INO(v);
	struct e2fs *f = ifs(ip);
	if (ip->links == 0 && !f->fs.readonly) {
		if (ext2_change_begin(f))
			return;		/* ext2_reap()'s now */
		idelete(ip);
		ext2_change_end(f);
	}
	mutex_lock(&f->icache_lock);
	list_remove(&f->icache, &ip->link);
	cond_broadcast(&f->icache_gone);
	ifree_mem(f, ip);
	mutex_unlock(&f->icache_lock);
}

/*
 * An inode whose last link went and that is still open would be freed
 * by its release, which may come after the disk is marked clean: it is
 * freed now, while readers may still hold it (they read it as empty).
 * Changes have stopped, so no link count changes, and an inode with
 * none left never leaves the cache (ext2_release), so ip stays valid
 * without the cache's lock.
 */
void ext2_reap(struct e2fs *f)
{
	for (;;) {
		struct e2ino *found = NULL;
		mutex_lock(&f->icache_lock);
		list_for_each(struct e2ino, ip, &f->icache, link) {
			if (ip->links == 0 && !ip->deleted) {
				found = ip;
				break;
			}
		}
		mutex_unlock(&f->icache_lock);
		if (!found)
			return;
		mutex_lock(&found->v.lock);
		idelete(found);
		mutex_unlock(&found->v.lock);
	}
}
