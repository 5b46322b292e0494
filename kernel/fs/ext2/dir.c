/*
 * dir.c: ext2 directory entries (docs/files.md, "Directories").
 *
 * A directory's blocks are lists of entries, each with a record length
 * that reaches the next one; the last reaches the end of the block. An
 * entry with inode 0 is free space; removing an entry gives its space
 * to the one before it. Every entry is checked before use: record
 * lengths at least 8, multiples of 4, inside the block, and long enough
 * for the name; inode numbers in range. A change to a directory block
 * is written before the call returns (namespace changes are
 * synchronous: see "Ordered writes" in docs/files.md).
 *
 * The mount's name cache (struct e2name) holds entries found or added
 * here, and every change of an entry here drops the entry's name from
 * it, so it says what the directory says: both change under the
 * directory's lock. A directory's number going free forgets the names
 * in it (ext2_names_forget), so none outlives the directory it was in.
 *
 * Caller holds the directory's lock for everything here.
 */
#include "fs/ext2/ext2_int.h"

/* ---- the name cache ------------------------------------------------------ */

/* The first entry of the set for (dir, name, len). */
static struct e2name *name_set(struct e2fs *f, uint32_t dir, const char *name, size_t len)
{
	uint32_t h = dir * 2654435761u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	h = (h ^ h >> 15) * 2654435761u;	/* short names differ in few bits */
	return f->names + (h >> 26) % E2_NAME_SETS * E2_NAME_WAYS;
}

/* The entry for (dir, name, len) in set, or NULL. Caller holds
 * names_lock. */
static struct e2name *name_in(struct e2name *set, uint32_t dir, const char *name, size_t len)
{
	for (int w = 0; w < E2_NAME_WAYS; w++)
		if (set[w].dir == dir && set[w].len == len && memcmp(set[w].name, name, len) == 0)
			return &set[w];
	return NULL;
}

static bool name_get(struct e2fs *f, uint32_t dir, const char *name, size_t len, uint32_t *ino)
{
	if (!f->names || len > E2_NAME_LEN)
		return false;
	mutex_lock(&f->names_lock);
	struct e2name *e = name_in(name_set(f, dir, name, len), dir, name, len);
	if (e)
		*ino = e->ino;
	mutex_unlock(&f->names_lock);
	return e != NULL;
}

static void name_put(struct e2fs *f, uint32_t dir, const char *name, size_t len, uint32_t ino)
{
	if (!f->names || len > E2_NAME_LEN)
		return;
	mutex_lock(&f->names_lock);
	struct e2name *set = name_set(f, dir, name, len), *e = name_in(set, dir, name, len);
	if (!e) {
		uint8_t *next = &f->names_next[(set - f->names) / E2_NAME_WAYS];
		e = &set[*next];
		*next = (uint8_t)((*next + 1) % E2_NAME_WAYS);
	}
	*e = (struct e2name){ .dir = dir, .ino = ino, .len = (uint8_t)len };
	memcpy(e->name, name, len);
	mutex_unlock(&f->names_lock);
}

static void name_drop(struct e2fs *f, uint32_t dir, const char *name, size_t len)
{
	if (!f->names || len > E2_NAME_LEN)
		return;
	mutex_lock(&f->names_lock);
	struct e2name *e = name_in(name_set(f, dir, name, len), dir, name, len);
	if (e)
		e->dir = 0;
	mutex_unlock(&f->names_lock);
}

/* The name of the entry at off of directory block data dropped from the
 * cache: the entry is about to change. */
static void entry_drop(struct e2ino *dp, const uint8_t *data, uint32_t off)
{
	const uint8_t *e = data + off;
	name_drop(ifs(dp), dp->v.ino, (const char *)e + DE_NAME, e[DE_NAME_LEN]);
}

void ext2_names_forget(struct e2fs *f, uint32_t ino)
{
	if (!f->names)
		return;
	mutex_lock(&f->names_lock);
	for (int i = 0; i < E2_NAME_SETS * E2_NAME_WAYS; i++)
		if (f->names[i].dir == ino)
			f->names[i].dir = 0;
	mutex_unlock(&f->names_lock);
}

/* ---- entries --------------------------------------------------------------- */

/* Checks the entry at off of directory block data: 0 or -EIO. */
static int entry_ok(struct e2fs *f, const uint8_t *data, uint32_t off)
{
	if (off + 8 > f->bsize)
		return -EIO;
	const uint8_t *e = data + off;
	uint32_t rec = get16(e + DE_REC_LEN), nl = e[DE_NAME_LEN], ino = get32(e + DE_INODE);
	if (rec < 8 || rec % 4 || off + rec > f->bsize || 8 + nl > rec ||
	    ino > f->inodes_count || (ino && nl == 0))
		return -EIO;
	return 0;
}

/* Block lbn of directory dp, read and locked: 0 or -EIO (a hole or a
 * bad pointer: directories have neither). */
static int dir_block(struct e2ino *dp, uint32_t lbn, struct buf **b)
{
	uint32_t blk;
	int err = ext2_bmap(dp, lbn, false, &blk);
	if (err)
		return err;
	if (blk == 0)
		return -EIO;
	return ext2_bread(ifs(dp), blk, b);
}

static uint32_t nblocks_of(struct e2ino *dp)
{
	uint32_t n = dp->size / ifs(dp)->bsize;
	return n < DIR_BLOCKS_MAX ? n : DIR_BLOCKS_MAX;
}

static bool is_dot(const uint8_t *e)
{
	uint32_t nl = e[DE_NAME_LEN];
	return (nl == 1 && e[DE_NAME] == '.') ||
	       (nl == 2 && e[DE_NAME] == '.' && e[DE_NAME + 1] == '.');
}

static void damaged(struct e2ino *dp, uint32_t lbn)
{
	klog(LOG_WARN, "ext2: %s: directory %u, block %u is damaged",
	     ifs(dp)->dev->name, dp->v.ino, lbn);
}

/* Checks every entry of block b: 0 or -EIO. */
static int block_ok_entries(struct e2fs *f, const struct buf *b)
{
	for (uint32_t off = 0; off < f->bsize; off += get16(b->data + off + DE_REC_LEN))
		if (entry_ok(f, b->data, off))
			return -EIO;
	return 0;
}

/*
 * A lookup checks a block's entries once, the first time it reads the
 * block since the block came from the disk or last changed (bdirty
 * clears fsok: the change may have been a write of file data into a
 * block a damaged disk gives to a directory too), and then compares
 * names only: the last byte first, as names in one directory often
 * share their start.
 */
int ext2_dir_find(struct e2ino *dp, const char *name, size_t len, struct dirloc *loc)
{
	struct e2fs *f = ifs(dp);
	uint32_t n = nblocks_of(dp);
	for (uint32_t lbn = 0; lbn < n; lbn++) {
		struct buf *b;
		int err = dir_block(dp, lbn, &b);
		if (err)
			return err;
		if (!b->fsok && block_ok_entries(f, b)) {
			brelse(b);
			damaged(dp, lbn);
			return -EIO;
		}
		b->fsok = true;
		for (uint32_t off = 0, prev = 0; off < f->bsize; ) {
			uint8_t *e = b->data + off;
			if (e[DE_NAME_LEN] == len && get32(e + DE_INODE) &&
			    (len == 0 || e[DE_NAME + len - 1] == (uint8_t)name[len - 1]) &&
			    memcmp(e + DE_NAME, name, len) == 0) {
				*loc = (struct dirloc){ lbn, off, prev, get32(e + DE_INODE) };
				brelse(b);
				return 0;
			}
			prev = off;
			off += get16(e + DE_REC_LEN);
		}
		brelse(b);
	}
	return -ENOENT;
}

int ext2_dir_lookup(struct e2ino *dp, const char *name, size_t len, uint32_t *ino)
{
	struct e2fs *f = ifs(dp);
	struct dirloc loc;
	if (name_get(f, dp->v.ino, name, len, ino))
		return 0;
	int err = ext2_dir_find(dp, name, len, &loc);
	if (err)
		return err;
	name_put(f, dp->v.ino, name, len, loc.ino);
	*ino = loc.ino;
	return 0;
}

static uint8_t ftype(struct e2fs *f, uint16_t mode)
{
	if (!f->filetype)
		return 0;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return FT_DIR;
	case S_IFLNK:
		return FT_SYMLINK;
	default:
		return FT_REG;
	}
}

static void put_entry(struct e2fs *f, uint8_t *e, const char *name, size_t len, uint32_t ino,
		      uint16_t mode, uint32_t rec)
{
	put32(e + DE_INODE, ino);
	put16(e + DE_REC_LEN, (uint16_t)rec);
	e[DE_NAME_LEN] = (uint8_t)len;
	e[DE_TYPE] = ftype(f, mode);
	memcpy(e + DE_NAME, name, len);
}

/* A hashed directory's index would go stale with this change: the flag
 * goes, and e2fsck (or Linux) may rebuild it. Caller writes dp. */
static void drop_index(struct e2ino *dp)
{
	dp->flags &= ~FL_INDEX;
}

/* Puts the entry into block b if it has room: true if it did. */
static bool add_in_block(struct e2fs *f, struct buf *b, const char *name, size_t len,
			 uint32_t ino, uint16_t mode)
{
	uint32_t need = DE_SIZE(len);
	for (uint32_t off = 0; off < f->bsize; ) {
		uint8_t *e = b->data + off;
		uint32_t rec = get16(e + DE_REC_LEN);
		if (get32(e + DE_INODE) == 0 && rec >= need) {
			put_entry(f, e, name, len, ino, mode, rec);
			return true;
		}
		uint32_t used = DE_SIZE(e[DE_NAME_LEN]);
		if (get32(e + DE_INODE) && rec >= used + need) {
			put16(e + DE_REC_LEN, (uint16_t)used);
			put_entry(f, e + used, name, len, ino, mode, rec - used);
			return true;
		}
		off += rec;
	}
	return false;
}

int ext2_dir_add(struct e2ino *dp, const char *name, size_t len, uint32_t ino, uint16_t mode)
{
	struct e2fs *f = ifs(dp);
	uint32_t n = nblocks_of(dp);
	int err;
	drop_index(dp);
	for (uint32_t lbn = 0; lbn < n; lbn++) {
		struct buf *b;
		if ((err = dir_block(dp, lbn, &b)))
			return err;
		if (block_ok_entries(f, b)) {
			brelse(b);
			damaged(dp, lbn);
			return -EIO;
		}
		bool done = add_in_block(f, b, name, len, ino, mode);
		if (done) {
			name_put(f, dp->v.ino, name, len, ino);
			bdirty(b);
			err = bwrite(b);
		}
		brelse(b);
		if (done)
			return err;
	}
	/* No room: a new block, which alloc makes one empty entry. */
	if (n >= DIR_BLOCKS_MAX || dp->size > VFS_FILE_MAX - f->bsize)
		return -ENOSPC;
	uint32_t blk;
	struct buf *b;
	if ((err = ext2_bmap(dp, n, true, &blk)))
		return err;
	if ((err = ext2_bread(f, blk, &b)))
		return err;
	put_entry(f, b->data, name, len, ino, mode, f->bsize);
	bdirty(b);
	err = bwrite(b);
	brelse(b);
	if (err)
		return err;
	dp->size += f->bsize;
	name_put(f, dp->v.ino, name, len, ino);
	return ext2_iupdate(dp, true);
}

int ext2_dir_remove(struct e2ino *dp, const struct dirloc *loc)
{
	struct buf *b;
	int err = dir_block(dp, loc->lbn, &b);
	if (err)
		return err;
	uint8_t *e = b->data + loc->off;
	drop_index(dp);
	entry_drop(dp, b->data, loc->off);
	if (loc->prev != loc->off) {
		uint8_t *p = b->data + loc->prev;
		put16(p + DE_REC_LEN, (uint16_t)(get16(p + DE_REC_LEN) + get16(e + DE_REC_LEN)));
	} else {
		put32(e + DE_INODE, 0);
	}
	bdirty(b);
	err = bwrite(b);
	brelse(b);
	return err;
}

int ext2_dir_retarget(struct e2ino *dp, const struct dirloc *loc, uint32_t ino, uint16_t mode)
{
	struct buf *b;
	int err = dir_block(dp, loc->lbn, &b);
	if (err)
		return err;
	uint8_t *e = b->data + loc->off;
	entry_drop(dp, b->data, loc->off);
	put32(e + DE_INODE, ino);
	e[DE_TYPE] = ftype(ifs(dp), mode);
	bdirty(b);
	err = bwrite(b);
	brelse(b);
	return err;
}

int ext2_dir_rename(struct e2ino *dp, const struct dirloc *loc, const char *name, size_t len)
{
	struct buf *b;
	int err = dir_block(dp, loc->lbn, &b);
	if (err)
		return err;
	uint8_t *e = b->data + loc->off;
	if (DE_SIZE(len) <= get16(e + DE_REC_LEN)) {
		drop_index(dp);
		entry_drop(dp, b->data, loc->off);
		e[DE_NAME_LEN] = (uint8_t)len;
		memcpy(e + DE_NAME, name, len);
		bdirty(b);
		err = bwrite(b);
	} else {
		err = -ENOSPC;
	}
	brelse(b);
	return err;
}

int ext2_dir_empty(struct e2ino *dp)
{
	struct e2fs *f = ifs(dp);
	uint32_t n = nblocks_of(dp);
	for (uint32_t lbn = 0; lbn < n; lbn++) {
		struct buf *b;
		int err = dir_block(dp, lbn, &b);
		if (err)
			return err;
		for (uint32_t off = 0; off < f->bsize; ) {
			if (entry_ok(f, b->data, off)) {
				brelse(b);
				damaged(dp, lbn);
				return -EIO;
			}
			uint8_t *e = b->data + off;
			if (get32(e + DE_INODE) && !is_dot(e)) {
				brelse(b);
				return 0;
			}
			off += get16(e + DE_REC_LEN);
		}
		brelse(b);
	}
	return 1;
}

int ext2_dir_init(struct e2ino *dp, uint32_t parent)
{
	struct e2fs *f = ifs(dp);
	uint32_t blk;
	struct buf *b;
	int err = ext2_bmap(dp, 0, true, &blk);
	if (err)
		return err;
	if ((err = ext2_bread(f, blk, &b)))
		return err;
	put_entry(f, b->data, ".", 1, dp->v.ino, S_IFDIR, DE_SIZE(1));
	put_entry(f, b->data + DE_SIZE(1), "..", 2, parent, S_IFDIR, f->bsize - DE_SIZE(1));
	bdirty(b);
	err = bwrite(b);
	brelse(b);
	dp->size = f->bsize;
	return err;
}

/* The type an entry records (a file system without INCOMPAT_FILETYPE
 * records none: ops.c asks the inode). */
static enum vtype vtype_of(const uint8_t *e)
{
	switch (e[DE_TYPE]) {
	case FT_DIR:
		return VN_DIR;
	case FT_SYMLINK:
		return VN_SYMLINK;
	default:
		return VN_FILE;
	}
}

int ext2_dir_next(struct e2ino *dp, uint32_t *cookie, struct vdirent *d)
{
	struct e2fs *f = ifs(dp);
	uint32_t n = nblocks_of(dp);
	for (uint32_t lbn = *cookie / f->bsize; lbn < n; lbn++) {
		struct buf *b;
		int err = dir_block(dp, lbn, &b);
		if (err)
			return err;
		/* From the block's start: a cookie may point into an entry
		 * that has since been merged with the one before it. */
		for (uint32_t off = 0; off < f->bsize; ) {
			if (entry_ok(f, b->data, off)) {
				brelse(b);
				damaged(dp, lbn);
				return -EIO;
			}
			uint8_t *e = b->data + off;
			uint32_t at = lbn * f->bsize + off;
			off += get16(e + DE_REC_LEN);
			if (at < *cookie || !get32(e + DE_INODE) || is_dot(e))
				continue;
			d->ino = get32(e + DE_INODE);
			d->type = vtype_of(e);
			d->len = e[DE_NAME_LEN];
			memcpy(d->name, e + DE_NAME, d->len);
			d->name[d->len] = '\0';
			*cookie = lbn * f->bsize + off;
			brelse(b);
			return 1;
		}
		brelse(b);
		*cookie = (lbn + 1) * f->bsize;
	}
	return 0;
}
