/*
 * super.c: mounting ext2 (every value of the superblock and the group
 * descriptors checked before use), unmounting, and the allocation of
 * blocks and inodes in the bitmaps, with the free counts of the group
 * descriptors and the superblock kept exact (docs/files.md).
 */
#include "fs/ext2/ext2_int.h"

uint32_t ext2_now(void)
{
	return rtc_now();
}

int ext2_bread(struct e2fs *f, uint32_t b, struct buf **out)
{
	return bread(f->dev, b, f->bsize, out);
}

/* The superblock's buffer, locked, and where in it the superblock is. */
static int sb_get(struct e2fs *f, struct buf **b, uint8_t **sb)
{
	int err = ext2_bread(f, f->sb_block, b);
	if (err)
		return err;
	*sb = (*b)->data + f->sb_off;
	return 0;
}

/* Group g's descriptor buffer, locked, and where in it g's is. */
static int gd_get(struct e2fs *f, uint32_t g, struct buf **b, uint8_t **gd)
{
	uint32_t per = f->bsize / GD_SIZE;
	int err = ext2_bread(f, f->gdt_block + g / per, b);
	if (err)
		return err;
	*gd = (*b)->data + g % per * GD_SIZE;
	return 0;
}

/* Adds delta to the free counts of group g (field at off) and of the
 * superblock (field sboff), and used_dirs by dirs. Caller holds
 * alloc_lock. */
static int count(struct e2fs *f, uint32_t g, uint32_t off, uint32_t sboff, int delta, int dirs)
{
	ASSERT_HELD(&f->alloc_lock);
	struct buf *b;
	uint8_t *p;
	int err = gd_get(f, g, &b, &p);
	if (err)
		return err;
	put16(p + off, (uint16_t)(get16(p + off) + delta));
	put16(p + GD_USED_DIRS, (uint16_t)(get16(p + GD_USED_DIRS) + dirs));
	bdirty(b);
	brelse(b);
	if ((err = sb_get(f, &b, &p)))
		return err;
	put32(p + sboff, get32(p + sboff) + (uint32_t)delta);
	bdirty(b);
	brelse(b);
	return 0;
}

/* The number of bits of group g's block bitmap that stand for blocks. */
static uint32_t group_blocks(struct e2fs *f, uint32_t g)
{
	uint32_t start = f->first_data_block + g * f->blocks_per_group;
	uint32_t left = f->blocks_count - start;
	return left < f->blocks_per_group ? left : f->blocks_per_group;
}

/*
 * Finds a clear bit among the first n of bitmap block bm, from bit
 * start on, sets it and returns it in *bit: 0, -ENOSPC if all are set,
 * or -EIO. skip(f, g, bit) rejects bits that must stay set (metadata
 * found clear in a damaged bitmap: it is set and the search goes on).
 */
static int take_bit(struct e2fs *f, uint32_t bm, uint32_t n, uint32_t start, uint32_t g,
		    bool (*skip)(struct e2fs *, uint32_t, uint32_t), uint32_t *bit)
{
	struct buf *b;
	int err = ext2_bread(f, bm, &b);
	if (err)
		return err;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = (start + k) % n;
		if (i % 32 == 0 && i + 32 <= n && get32(b->data + i / 8) == 0xFFFFFFFFu) {
			k += 31;	/* 32 blocks in use: a word at a time */
			continue;
		}
		uint8_t *byte = &b->data[i / 8], m = (uint8_t)(1u << (i % 8));
		if (*byte & m)
			continue;
		*byte |= m;
		bdirty(b);
		if (skip && skip(f, g, i))
			continue;
		brelse(b);
		*bit = i;
		return 0;
	}
	brelse(b);
	return -ENOSPC;
}

static bool skip_block(struct e2fs *f, uint32_t g, uint32_t bit)
{
	uint32_t blk = f->first_data_block + g * f->blocks_per_group + bit;
	if (block_ok(f, blk))
		return false;
	klog(LOG_WARN, "ext2: %s: block %u (metadata) was free in the bitmap", f->dev->name, blk);
	return true;
}

static bool skip_inode(struct e2fs *f, uint32_t g, uint32_t bit)
{
	return g * f->inodes_per_group + bit + 1 < f->first_ino;
}

/*
 * Takes a free block (inode false) or inode (true): a clear bit in the
 * bitmap of group g0, from bit start on, else of the groups after it.
 * Its group and bit in *g and *bit, the free counts lowered and the
 * group's directories raised by dirs. Caller holds alloc_lock.
 */
static int alloc_bit(struct e2fs *f, bool inode, uint32_t g0, uint32_t start, int dirs,
		     uint32_t *g, uint32_t *bit)
{
	uint32_t gd_free = inode ? GD_FREE_INODES : GD_FREE_BLOCKS;
	ASSERT_HELD(&f->alloc_lock);
	for (uint32_t k = 0; k < f->ngroups; k++) {
		struct buf *b;
		uint8_t *gd;
		*g = (g0 + k) % f->ngroups;
		int err = gd_get(f, *g, &b, &gd);
		if (err)
			return err;
		uint32_t nfree = get16(gd + gd_free);
		brelse(b);
		if (nfree == 0)
			continue;
		uint32_t n = inode ? f->inodes_per_group : group_blocks(f, *g);
		err = take_bit(f, inode ? f->groups[*g].inode_bitmap : f->groups[*g].block_bitmap,
			       n, k == 0 ? start % n : 0, *g, inode ? skip_inode : skip_block, bit);
		if (err == -ENOSPC) {
			klog(LOG_WARN, "ext2: %s: group %u counts %u free %s, its bitmap none",
			     f->dev->name, *g, nfree, inode ? "inodes" : "blocks");
			continue;
		}
		if (err)
			return err;
		return count(f, *g, gd_free, inode ? SB_FREE_INODES : SB_FREE_BLOCKS, -1, dirs);
	}
	return -ENOSPC;
}

int ext2_balloc(struct e2fs *f, uint32_t goal, uint32_t *out)
{
	bool near = block_ok(f, goal);
	uint32_t g0 = near ? (goal - f->first_data_block) / f->blocks_per_group : 0;
	uint32_t start = near ? (goal - f->first_data_block) % f->blocks_per_group : 0, g, bit;
	mutex_lock(&f->alloc_lock);
	int err = alloc_bit(f, false, g0, start, 0, &g, &bit);
	mutex_unlock(&f->alloc_lock);
	if (err == 0)
		*out = f->first_data_block + g * f->blocks_per_group + bit;
	return err;
}

/* Clears bit i of bitmap block bm: 0, or -EIO if it was clear already
 * (the caller's pointer was wrong: the disk is damaged). */
static int clear_bit(struct e2fs *f, uint32_t bm, uint32_t i)
{
	struct buf *b;
	int err = ext2_bread(f, bm, &b);
	if (err)
		return err;
	uint8_t *byte = &b->data[i / 8], m = (uint8_t)(1u << (i % 8));
	if (*byte & m) {
		*byte &= (uint8_t)~m;
		bdirty(b);
	} else {
		err = -EIO;
	}
	brelse(b);
	return err;
}

int ext2_bfree(struct e2fs *f, uint32_t blk)
{
	if (!block_ok(f, blk))
		return -EIO;
	uint32_t g = (blk - f->first_data_block) / f->blocks_per_group;
	mutex_lock(&f->alloc_lock);
	int err = clear_bit(f, f->groups[g].block_bitmap,
			    (blk - f->first_data_block) % f->blocks_per_group);
	if (!err)
		err = count(f, g, GD_FREE_BLOCKS, SB_FREE_BLOCKS, 1, 0);
	mutex_unlock(&f->alloc_lock);
	if (err == -EIO)
		klog(LOG_WARN, "ext2: %s: freeing block %u, which is free", f->dev->name, blk);
	return err;
}

int ext2_ialloc(struct e2fs *f, uint32_t near, bool dir, uint32_t *out)
{
	uint32_t g0 = near >= 1 && near <= f->inodes_count ? (near - 1) / f->inodes_per_group : 0;
	uint32_t g, bit;
	mutex_lock(&f->alloc_lock);
	int err = alloc_bit(f, true, g0, 0, dir ? 1 : 0, &g, &bit);
	mutex_unlock(&f->alloc_lock);
	if (err == 0)
		*out = g * f->inodes_per_group + bit + 1;
	return err;
}

int ext2_ifree(struct e2fs *f, uint32_t ino, bool dir)
{
	if (ino < f->first_ino || ino > f->inodes_count)
		return -EIO;
	uint32_t g = (ino - 1) / f->inodes_per_group;
	mutex_lock(&f->alloc_lock);
	int err = clear_bit(f, f->groups[g].inode_bitmap, (ino - 1) % f->inodes_per_group);
	if (!err)
		err = count(f, g, GD_FREE_INODES, SB_FREE_INODES, 1, dir ? -1 : 0);
	mutex_unlock(&f->alloc_lock);
	return err;
}

/* ---- the gate: halting after the last change ------------------------------ */

int ext2_change_begin(struct e2fs *f)
{
	mutex_lock(&f->gate_lock);
	int err = f->stopping ? -EROFS : 0;
	if (!err)
		f->changing++;
	mutex_unlock(&f->gate_lock);
	return err;
}

void ext2_change_end(struct e2fs *f)
{
	mutex_lock(&f->gate_lock);
	if (--f->changing == 0 && f->stopping)
		cond_broadcast(&f->gate_idle);
	mutex_unlock(&f->gate_lock);
}

/* Lets no change start, and waits for those in progress to end: after
 * this, nothing dirties a buffer of f again. */
static void stop_changes(struct e2fs *f)
{
	mutex_lock(&f->gate_lock);
	f->stopping = true;
	while (f->changing)
		cond_wait(&f->gate_idle, &f->gate_lock);
	mutex_unlock(&f->gate_lock);
}

/* ---- mounting ----------------------------------------------------------- */

/* Checks the superblock sb and fills f from it: 0, -EINVAL or -EIO. */
static int check_super(struct e2fs *f, const uint8_t *sb, bool *readonly)
{
	if (get16(sb + SB_MAGIC) != EXT2_MAGIC || get32(sb + SB_REV_LEVEL) != EXT2_DYNAMIC_REV)
		return -EINVAL;
	uint32_t log = get32(sb + SB_LOG_BLOCK_SIZE);
	if (log != 0 && log != 2)
		return -EINVAL;
	if (get32(sb + SB_FEATURE_INCOMPAT) & ~INCOMPAT_KNOWN)
		return -EINVAL;
	if (get32(sb + SB_FEATURE_RO_COMPAT) & ~RO_COMPAT_KNOWN)
		*readonly = true;
	if ((get16(sb + SB_STATE) & (EXT2_STATE_CLEAN | EXT2_STATE_ERRORS)) != EXT2_STATE_CLEAN)
		klog(LOG_WARN, "ext2: %s was not cleanly unmounted, or has errors: run e2fsck",
		     f->dev->name);
	f->bsize = 1024u << log;
	f->ptrs = f->bsize / 4;
	f->blocks_count = get32(sb + SB_BLOCKS_COUNT);
	f->inodes_count = get32(sb + SB_INODES_COUNT);
	f->first_data_block = get32(sb + SB_FIRST_DATA_BLOCK);
	f->blocks_per_group = get32(sb + SB_BLOCKS_PER_GROUP);
	f->inodes_per_group = get32(sb + SB_INODES_PER_GROUP);
	f->inode_size = get16(sb + SB_INODE_SIZE);
	f->first_ino = get32(sb + SB_FIRST_INO);
	f->filetype = get32(sb + SB_FEATURE_INCOMPAT) & INCOMPAT_FILETYPE;
	uint32_t bits = 8 * f->bsize;
	if (f->first_data_block != (f->bsize == 1024 ? 1u : 0u) ||
	    f->inode_size < 128 || f->inode_size > f->bsize ||
	    (f->inode_size & (f->inode_size - 1)) ||
	    f->blocks_per_group == 0 || f->blocks_per_group > bits ||
	    f->inodes_per_group == 0 || f->inodes_per_group > bits ||
	    f->blocks_count <= f->first_data_block ||
	    f->blocks_count > f->dev->nsectors / (f->bsize / SECTOR_SIZE) ||
	    f->first_ino < GOOD_OLD_FIRST_INO || f->first_ino > f->inodes_count ||
	    get32(sb + SB_FREE_BLOCKS) > f->blocks_count ||
	    get32(sb + SB_FREE_INODES) > f->inodes_count)
		return -EIO;
	f->ngroups = (f->blocks_count - f->first_data_block + f->blocks_per_group - 1) /
		     f->blocks_per_group;
	if ((uint64_t)f->ngroups * f->inodes_per_group != f->inodes_count)
		return -EIO;
	f->sb_block = f->bsize == 1024 ? 1 : 0;
	f->sb_off = f->bsize == 1024 ? 0 : SB_OFFSET;
	f->gdt_block = f->first_data_block + 1;
	uint32_t gdt_blocks = (f->ngroups * GD_SIZE + f->bsize - 1) / f->bsize;
	f->meta_end = f->gdt_block + gdt_blocks;
	if (f->meta_end >= f->blocks_count)
		return -EIO;
	return 0;
}

/* Reads and checks every group descriptor into f->groups, and sums
 * their free counts into *fb and *fi: 0, -EIO or -ENOMEM. */
static int check_groups(struct e2fs *f, uint32_t *fb, uint32_t *fi)
{
	uint32_t itb = (f->inodes_per_group * f->inode_size + f->bsize - 1) / f->bsize;
	f->itb = itb;
	struct e2group *groups = kzalloc(f->ngroups * sizeof *groups);
	if (!groups)
		return -ENOMEM;
	*fb = *fi = 0;
	for (uint32_t g = 0; g < f->ngroups; g++) {
		struct buf *b;
		uint8_t *gd;
		int err = gd_get(f, g, &b, &gd);
		if (err) {
			kfree(groups);
			return err;
		}
		struct e2group *gr = &groups[g];
		gr->block_bitmap = get32(gd + GD_BLOCK_BITMAP);
		gr->inode_bitmap = get32(gd + GD_INODE_BITMAP);
		gr->inode_table = get32(gd + GD_INODE_TABLE);
		uint32_t nb = get16(gd + GD_FREE_BLOCKS), ni = get16(gd + GD_FREE_INODES);
		brelse(b);
		if (!block_ok(f, gr->block_bitmap) || !block_ok(f, gr->inode_bitmap) ||
		    !block_ok(f, gr->inode_table) ||
		    gr->inode_table + itb > f->blocks_count || gr->inode_table + itb < itb ||
		    gr->block_bitmap == gr->inode_bitmap ||
		    (gr->block_bitmap >= gr->inode_table && gr->block_bitmap < gr->inode_table + itb) ||
		    (gr->inode_bitmap >= gr->inode_table && gr->inode_bitmap < gr->inode_table + itb) ||
		    nb > group_blocks(f, g) || ni > f->inodes_per_group) {
			klog(LOG_ERR, "ext2: %s: group descriptor %u is damaged", f->dev->name, g);
			kfree(groups);
			return -EIO;
		}
		*fb += nb;
		*fi += ni;
		/* Past the last of its metadata to its end, every block of
		 * the group is one block_ok accepts (none if any lies past
		 * the group: the range is only a shortcut). */
		uint32_t start = f->first_data_block + g * f->blocks_per_group, c = start;
		uint32_t ends[] = { f->meta_end, gr->block_bitmap + 1, gr->inode_bitmap + 1,
				    gr->inode_table + itb };
		for (uint32_t k = 0; k < 4; k++)
			c = ends[k] > c ? ends[k] : c;
		gr->clear = c;
		gr->nclear = c < start + group_blocks(f, g) ? start + group_blocks(f, g) - c : 0;
	}
	f->groups = groups;	/* block_ok checks them from now on */
	return 0;
}

/* Marks the file system in use (not clean) or clean, on the disk now. */
static int set_state(struct e2fs *f, bool clean)
{
	struct buf *b;
	uint8_t *sb;
	int err = sb_get(f, &b, &sb);
	if (err)
		return err;
	uint16_t st = get16(sb + SB_STATE);
	put16(sb + SB_STATE, clean ? (uint16_t)(st | EXT2_STATE_CLEAN) :
				     (uint16_t)(st & ~EXT2_STATE_CLEAN));
	if (clean) {
		put32(sb + SB_WTIME, ext2_now());
	} else {
		put32(sb + SB_MTIME, ext2_now());
		put16(sb + SB_MNT_COUNT, (uint16_t)(get16(sb + SB_MNT_COUNT) + 1));
	}
	bdirty(b);
	err = bwrite(b);
	brelse(b);
	return err;
}

static void e2fs_free(struct e2fs *f)
{
	kfree(f->names);
	kfree(f->pool);
	kfree(f->groups);
	kfree(f);
}

int ext2_mount(struct blkdev *d, bool readonly, struct fs **out)
{
	struct e2fs *f = kzalloc(sizeof *f);
	uint8_t *raw = kmalloc(1024);
	int err = -ENOMEM;
	if (!f || !raw)
		goto fail;
	f->dev = d;
	err = -EINVAL;
	if (d->nsectors < 4 || d->rw(d, SB_OFFSET / SECTOR_SIZE, 1024 / SECTOR_SIZE, raw, false))
		goto fail;
	if ((err = check_super(f, raw, &readonly)))
		goto fail;
	uint32_t fb, fi;
	if ((err = check_groups(f, &fb, &fi)))
		goto fail;
	mutex_init(&f->alloc_lock, "ext2 alloc");
	mutex_init(&f->icache_lock, "ext2 icache");
	mutex_init(&f->rename_lock, "ext2 rename");
	mutex_init(&f->names_lock, "ext2 names");
	mutex_init(&f->gate_lock, "ext2 gate");
	cond_init(&f->gate_idle);
	cond_init(&f->icache_gone);
	list_init(&f->icache);
	/* Without the pool every iget uses the heap: slower, not wrong. */
	_Static_assert(E2_POOL == 32, "pool_free has a bit for each");
	if ((f->pool = kmalloc(E2_POOL * sizeof *f->pool)))
		f->pool_free = 0xFFFFFFFFu;
	/* Without the name cache every lookup scans its directory. */
	f->names = kzalloc(E2_NAME_SETS * E2_NAME_WAYS * sizeof *f->names);
	f->fs.ops = &ext2_ops;
	f->fs.readonly = readonly;
	f->fs.priv = f;
	struct e2ino *root;
	if ((err = ext2_iget(f, ROOT_INO, &root)))
		goto fail;
	if (root->v.type != VN_DIR) {
		ext2_iput(root);
		err = -EIO;
		goto fail;
	}
	f->fs.root = &root->v;
	if (!readonly) {
		/* The superblock's totals follow the groups' (as e2fsck
		 * would make them); the state says "in use" until unmount. */
		struct buf *b;
		uint8_t *sb;
		if ((err = sb_get(f, &b, &sb)) == 0) {
			put32(sb + SB_FREE_BLOCKS, fb);
			put32(sb + SB_FREE_INODES, fi);
			bdirty(b);
			brelse(b);
			err = set_state(f, false);
		}
		if (err) {
			ext2_iput(root);
			goto fail;
		}
	}
	kfree(raw);
	*out = &f->fs;
	return 0;
fail:
	if (f)
		bcache_drop(d);	/* a later mount reads the disk afresh */
	kfree(raw);
	if (f)
		e2fs_free(f);
	return err;
}

int ext2_unmount(struct fs *fs)
{
	struct e2fs *f = E2FS(fs);
	mutex_lock(&f->icache_lock);
	bool busy = fs->root->refs != 1 || f->icache.head != f->icache.tail;
	mutex_unlock(&f->icache_lock);
	if (busy)
		return -EBUSY;
	int err = bcache_sync(f->dev);
	if (!fs->readonly && !err)
		err = set_state(f, true);
	vnode_put(fs->root);
	int e = bcache_drop(f->dev);
	e2fs_free(f);
	return err ? err : e;
}

/* The machine stops: changes still running finish, later ones fail,
 * and only then is the cache written back and the disk marked clean, so
 * that no change can land after the mark (docs/files.md). */
int ext2_shutdown(struct fs *fs)
{
	struct e2fs *f = E2FS(fs);
	stop_changes(f);
	if (!fs->readonly)
		ext2_reap(f);
	int err = bcache_sync(f->dev);
	if (!fs->readonly && !err)
		err = set_state(f, true);
	if (!err)
		err = bcache_sync(f->dev);	/* the device's own cache too */
	return err;
}
