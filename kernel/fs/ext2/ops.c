/*
 * ops.c: ext2's vnode operations (fs/vfs.h), built from the inode and
 * directory parts, with the locking and the order of writes that keep
 * the disk repairable by `e2fsck -p` at every step (docs/files.md,
 * "Ordered writes"): on the disk, an inode's link count is never above
 * the number of entries naming it. A new inode is written after its
 * entry; a link count is lowered before an entry goes and raised after
 * one is added. What a crash between two steps leaves is a count that
 * is too low, an entry naming an unused inode, or a block or inode
 * marked used that nothing uses: all repaired without a question.
 */
#include "fs/ext2/ext2_int.h"

#define LINK_MAX	65000
#define CHANGED		1	/* rename: a name changed under it; try again */

static bool is_dir(struct e2ino *ip)
{
	return ip->v.type == VN_DIR;
}

/* The checks every operation that adds a name makes. */
static int name_check(struct vnode *dir, size_t len)
{
	if (dir->type != VN_DIR)
		return -ENOTDIR;
	if (len == 0)
		return -ENOENT;
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	return dir->fs->readonly ? -EROFS : 0;
}

/* Entry (name, len) of dp looked up: -EEXIST if there, 0 if not, or
 * an error. A removed directory takes no new names. */
static int absent(struct e2ino *dp, const char *name, size_t len)
{
	struct dirloc loc;
	if (dp->links == 0)
		return -ENOENT;
	int err = ext2_dir_find(dp, name, len, &loc);
	return err == -ENOENT ? 0 : err ? err : -EEXIST;
}

/* The inode an entry names: the root or an ordinary one (not a reserved
 * inode such as the resize inode's). */
static int entry_iget(struct e2fs *f, uint32_t ino, struct e2ino **out)
{
	if (ino != ROOT_INO && ino < f->first_ino)
		return -EIO;
	return ext2_iget(f, ino, out);
}

static void touch(struct e2ino *ip)
{
	ip->mtime = ip->ctime = ext2_now();
}

static int e2_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct e2ino *dp = E2INO(dir), *ip;
	uint32_t ino;
	if (dir->type != VN_DIR)
		return -ENOTDIR;
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	mutex_lock(&dir->lock);
	int err = dp->links == 0 ? -ENOENT : ext2_dir_lookup(dp, name, len, &ino);
	if (!err && (err = entry_iget(E2FS(dir->fs), ino, &ip)) == 0)
		*out = &ip->v;
	mutex_unlock(&dir->lock);
	return err;
}

/*
 * Makes a new inode of mode in dp named (name, len), with data made by
 * fill (a directory's first block, a symbolic link's target) before the
 * entry: 0 with *out referenced, or an error (nothing made). Caller
 * holds dp's lock.
 */
static int make(struct e2ino *dp, const char *name, size_t len, uint16_t mode,
		int (*fill)(struct e2ino *ip, struct e2ino *dp, const void *arg), const void *arg,
		struct e2ino **out)
{
	struct e2fs *f = ifs(dp);
	struct e2ino *ip;
	int err = absent(dp, name, len);
	if (err)
		return err;
	if ((err = ext2_inew(f, dp, mode, &ip)))
		return err;
	if (fill)
		err = fill(ip, dp, arg);
	/* The entry first, then the inode it names: until this iupdate its
	 * slot in the inode table holds at most block pointers, and a link
	 * count of 0 (unused), whoever writes that block meanwhile. */
	if (!err && (err = ext2_dir_add(dp, name, len, ip->v.ino, mode)) == 0)
		err = ext2_iupdate(ip, true);
	if (err) {
		ip->links = 0;
		ext2_iput(ip);
		return err;
	}
	touch(dp);
	*out = ip;
	return 0;
}

static int e2_create(struct vnode *dir, const char *name, size_t len, uint32_t mode,
		     struct vnode **out)
{
	int err = name_check(dir, len);
	if (err)
		return err;
	struct e2ino *dp = E2INO(dir), *ip;
	mutex_lock(&dir->lock);
	err = make(dp, name, len, (uint16_t)(S_IFREG | (mode & 07777)), NULL, NULL, &ip);
	if (!err) {
		*out = &ip->v;
		err = ext2_iupdate(dp, false);
	}
	mutex_unlock(&dir->lock);
	return err;
}

/* A new directory's first block, with "." and "..". Its inode is not
 * written yet: the block's pointer is, in an inode still unused. */
static int fill_dir(struct e2ino *ip, struct e2ino *dp, const void *arg)
{
	(void)arg;
	ip->links = 2;
	return ext2_dir_init(ip, dp->v.ino);
}

static int e2_mkdir(struct vnode *dir, const char *name, size_t len, uint32_t mode)
{
	int err = name_check(dir, len);
	if (err)
		return err;
	struct e2ino *dp = E2INO(dir), *ip;
	mutex_lock(&dir->lock);
	if (dp->links >= LINK_MAX)
		err = -EMLINK;
	else
		err = make(dp, name, len, (uint16_t)(S_IFDIR | (mode & 07777)), fill_dir, NULL, &ip);
	if (!err) {
		dp->links++;	/* the new ".." */
		err = ext2_iupdate(dp, false);
		ext2_iput(ip);
	}
	mutex_unlock(&dir->lock);
	return err;
}

struct target {
	const char *s;
	size_t len;
};

/* A symbolic link's target: in the block pointers if it fits (a fast
 * link), else in a block of its own, written before the inode. */
static int fill_link(struct e2ino *ip, struct e2ino *dp, const void *arg)
{
	const struct target *t = arg;
	struct e2fs *f = ifs(ip);
	(void)dp;
	ip->size = (uint32_t)t->len;
	if (t->len < FAST_SYMLINK_MAX) {
		uint8_t bytes[NBLOCK * 4] = { 0 };
		memcpy(bytes, t->s, t->len);
		for (int k = 0; k < NBLOCK; k++)
			ip->block[k] = get32(bytes + 4 * k);
		return 0;
	}
	uint32_t blk;
	struct buf *b;
	int err = ext2_bmap(ip, 0, true, &blk);
	if (err)
		return err;
	if ((err = ext2_bread(f, blk, &b)))
		return err;
	memcpy(b->data, t->s, t->len);
	bdirty(b);
	err = bwrite(b);
	brelse(b);
	return err;
}

static int e2_symlink(struct vnode *dir, const char *name, size_t len, const char *target,
		      size_t tlen)
{
	int err = name_check(dir, len);
	if (err)
		return err;
	struct e2ino *dp = E2INO(dir), *ip;
	if (tlen == 0)
		return -ENOENT;
	if (tlen >= E2FS(dir->fs)->bsize)
		return -ENAMETOOLONG;
	struct target t = { target, tlen };
	mutex_lock(&dir->lock);
	err = make(dp, name, len, S_IFLNK | 0777, fill_link, &t, &ip);
	if (!err) {
		err = ext2_iupdate(dp, false);
		ext2_iput(ip);
	}
	mutex_unlock(&dir->lock);
	return err;
}

static int e2_readlink(struct vnode *v, struct uio *u)
{
	struct e2ino *ip = E2INO(v);
	if (v->type != VN_SYMLINK)
		return -EINVAL;
	mutex_lock(&v->lock);
	uint32_t n = ip->size < u->len ? ip->size : u->len;
	int err;
	if (ext2_fast_link(ip)) {
		uint8_t bytes[NBLOCK * 4];
		for (int k = 0; k < NBLOCK; k++)
			put32(bytes + 4 * k, ip->block[k]);
		err = ip->size <= sizeof bytes ? uio_move(u, bytes, n, true) : -EIO;
	} else {
		err = ext2_rdwr(ip, 0, u, false);
		n = err > 0 ? (uint32_t)err : 0;
		err = err < 0 ? err : 0;
	}
	mutex_unlock(&v->lock);
	return err ? err : (int)n;
}

/* The entry (name, len) of dp and its inode, for a removal: 0 with loc
 * and *out referenced, or an error. Caller holds dp's lock. */
static int named(struct e2ino *dp, const char *name, size_t len, struct dirloc *loc,
		  struct e2ino **out)
{
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	int err = ext2_dir_find(dp, name, len, loc);
	if (err)
		return err;
	return entry_iget(ifs(dp), loc->ino, out);
}

static int e2_unlink(struct vnode *dir, const char *name, size_t len)
{
	struct e2ino *dp = E2INO(dir), *ip = NULL;
	struct dirloc loc;
	if (dir->type != VN_DIR)
		return -ENOTDIR;
	if (dir->fs->readonly)
		return -EROFS;
	mutex_lock(&dir->lock);
	int err = named(dp, name, len, &loc, &ip);
	if (!err && is_dir(ip))
		err = -EISDIR;
	if (!err) {
		mutex_lock(&ip->v.lock);
		/* The count first: a crash now leaves it too low, which
		 * e2fsck raises (or, at 0, removes the entry). */
		ip->links--;
		ip->ctime = ext2_now();
		if ((err = ext2_iupdate(ip, true)) == 0)
			err = ext2_dir_remove(dp, &loc);
		mutex_unlock(&ip->v.lock);
		touch(dp);
		int e = ext2_iupdate(dp, false);
		if (!err)
			err = e;
	}
	mutex_unlock(&dir->lock);
	if (ip)
		ext2_iput(ip);	/* the last one frees it */
	return err;
}

static int e2_rmdir(struct vnode *dir, const char *name, size_t len)
{
	struct e2ino *dp = E2INO(dir), *ip = NULL;
	struct dirloc loc;
	if (dir->type != VN_DIR)
		return -ENOTDIR;
	if (dir->fs->readonly)
		return -EROFS;
	/* Two directory locks: under the rename lock, as in a rename, so
	 * that even a damaged disk (an entry naming an ancestor) cannot
	 * make two threads take them in opposite orders. */
	struct e2fs *f = E2FS(dir->fs);
	mutex_lock(&f->rename_lock);
	mutex_lock(&dir->lock);
	int err = named(dp, name, len, &loc, &ip);
	if (!err && !is_dir(ip))
		err = -ENOTDIR;
	if (!err && ip == dp)
		err = -EINVAL;
	if (!err) {
		mutex_lock(&ip->v.lock);
		err = ext2_dir_empty(ip);
		err = err == 1 ? 0 : err == 0 ? -ENOTEMPTY : err;
		if (!err) {
			ip->links = 0;
			ip->ctime = ext2_now();
			if ((err = ext2_iupdate(ip, true)) == 0)
				err = ext2_dir_remove(dp, &loc);
		}
		mutex_unlock(&ip->v.lock);
		if (!err) {
			dp->links--;	/* its ".." */
			touch(dp);
			err = ext2_iupdate(dp, false);
		}
	}
	mutex_unlock(&dir->lock);
	mutex_unlock(&f->rename_lock);
	if (ip)
		ext2_iput(ip);
	return err;
}

static int e2_link(struct vnode *dir, const char *name, size_t len, struct vnode *target)
{
	int err = name_check(dir, len);
	if (err)
		return err;
	if (target->fs != dir->fs)
		return -EXDEV;
	if (target->type == VN_DIR)
		return -EPERM;
	struct e2ino *dp = E2INO(dir), *ip = E2INO(target);
	mutex_lock(&dir->lock);
	err = absent(dp, name, len);
	if (!err) {
		mutex_lock(&target->lock);
		if (ip->links == 0)
			err = -ENOENT;
		else if (ip->links >= LINK_MAX)
			err = -EMLINK;
		/* The entry first, then the count. */
		else if ((err = ext2_dir_add(dp, name, len, ip->v.ino, ip->mode)) == 0) {
			ip->links++;
			ip->ctime = ext2_now();
			err = ext2_iupdate(ip, false);
		}
		mutex_unlock(&target->lock);
	}
	if (!err) {
		touch(dp);
		err = ext2_iupdate(dp, false);
	}
	mutex_unlock(&dir->lock);
	return err;
}

/*
 * Is a an ancestor of b, or b itself? 1 yes, 0 no, or an error (-EIO
 * for a chain of ".." that does not reach the root). Caller holds the
 * rename lock, so the answer stays true until it lets go, and no
 * directory lock.
 */
static int ancestor(struct e2ino *a, struct e2ino *b)
{
	struct e2fs *f = ifs(a);
	struct e2ino *cur = b;
	vnode_get(&cur->v);
	int ret = -EIO;
	for (int depth = 0; depth < DEPTH_MAX; depth++) {
		if (cur == a) {
			ret = 1;
			break;
		}
		if (cur->v.ino == ROOT_INO) {
			ret = 0;
			break;
		}
		struct dirloc loc;
		struct e2ino *up;
		mutex_lock(&cur->v.lock);
		int err = ext2_dir_find(cur, "..", 2, &loc);
		if (!err)
			err = entry_iget(f, loc.ino, &up);
		mutex_unlock(&cur->v.lock);
		if (!err && !is_dir(up)) {
			ext2_iput(up);
			err = -EIO;
		}
		if (err) {
			ret = err;
			break;
		}
		ext2_iput(cur);
		cur = up;
	}
	ext2_iput(cur);
	return ret;
}

/* Locks the two directories of a rename, an ancestor before its
 * descendant. */
static void lock_pair(struct e2ino *first, struct e2ino *second)
{
	mutex_lock(&first->v.lock);
	if (second != first)
		mutex_lock(&second->v.lock);
}

static void unlock_pair(struct e2ino *a, struct e2ino *b)
{
	if (b != a)
		mutex_unlock(&b->v.lock);
	mutex_unlock(&a->v.lock);
}

/* Points directory ip's ".." at np. */
static int set_dotdot(struct e2ino *ip, struct e2ino *np)
{
	struct dirloc loc;
	int err = ext2_dir_find(ip, "..", 2, &loc);
	return err ? err : ext2_dir_retarget(ip, &loc, np->v.ino, S_IFDIR);
}

/*
 * The rename itself, with both directories (and the rename lock) held:
 * src is named (oname, olen) in od; tgt, if not NULL, is named by nloc
 * in nd. Within one directory, with no victim, the entry is renamed in
 * place if its record has room (one write). Otherwise the new name is
 * written before the old one goes, so a crash between leaves a file
 * with a count too low (repaired), and a directory with two names
 * (which e2fsck asks about: see "Ordered writes" in docs/files.md).
 */
static int move(struct e2ino *od, const char *oname, size_t olen, struct e2ino *src,
		struct e2ino *nd, const char *nname, size_t nlen, struct e2ino *tgt,
		const struct dirloc *nloc)
{
	struct dirloc oloc;
	int err = 0;
	if (!tgt && od == nd && (err = ext2_dir_find(od, oname, olen, &oloc)) == 0 &&
	    (err = ext2_dir_rename(od, &oloc, nname, nlen)) != -ENOSPC) {
		src->ctime = ext2_now();
		touch(od);
		int e = ext2_iupdate(od, false);
		return err ? err : e;
	}
	if (err && err != -ENOSPC)
		return err;
	err = 0;
	if (tgt) {
		mutex_lock(&tgt->v.lock);
		if (is_dir(tgt)) {
			err = ext2_dir_empty(tgt);
			err = err == 1 ? 0 : err == 0 ? -ENOTEMPTY : err;
			if (!err)
				tgt->links = 0;
		} else {
			tgt->links--;
		}
		if (!err) {
			tgt->ctime = ext2_now();
			err = ext2_iupdate(tgt, true);
		}
		mutex_unlock(&tgt->v.lock);
		if (!err)
			err = ext2_dir_retarget(nd, nloc, src->v.ino, src->mode);
		if (!err && is_dir(tgt))
			nd->links--;	/* the replaced directory's ".." */
	} else {
		err = ext2_dir_add(nd, nname, nlen, src->v.ino, src->mode);
	}
	/* Found again: adding may have split the entry before it. */
	if (!err && (err = ext2_dir_find(od, oname, olen, &oloc)) == 0)
		err = oloc.ino == src->v.ino ? ext2_dir_remove(od, &oloc) : -EIO;
	if (!err && is_dir(src) && od != nd) {
		mutex_lock(&src->v.lock);
		err = set_dotdot(src, nd);
		mutex_unlock(&src->v.lock);
		if (!err) {
			od->links--;
			nd->links++;
		}
	}
	src->ctime = ext2_now();
	touch(od);
	touch(nd);
	int e = ext2_iupdate(od, false);
	if (!err)
		err = e;
	if (nd != od && (e = ext2_iupdate(nd, false)) && !err)
		err = e;
	return err;
}

/* Checks a rename's victim tgt against its source src: 0 or the error.
 * Caller holds the rename lock and no directory lock. */
static int replace_check(struct e2ino *od, struct e2ino *src, struct e2ino *tgt)
{
	if (is_dir(src) && !is_dir(tgt))
		return -ENOTDIR;
	if (!is_dir(src) && is_dir(tgt))
		return -EISDIR;
	if (!is_dir(tgt))
		return 0;
	/* A directory above od is not empty, and locking it after od
	 * would reverse the lock order. */
	int above = ancestor(tgt, od);
	return above < 0 ? above : above ? -ENOTEMPTY : 0;
}

/* The inode named (name, len) in dp, referenced, or *out NULL if none:
 * 0 or an error. */
static int name_of(struct e2ino *dp, const char *name, size_t len, struct e2ino **out)
{
	uint32_t ino;
	*out = NULL;
	mutex_lock(&dp->v.lock);
	int err = dp->links == 0 ? -ENOENT : ext2_dir_lookup(dp, name, len, &ino);
	if (!err)
		err = entry_iget(ifs(dp), ino, out);
	mutex_unlock(&dp->v.lock);
	return err == -ENOENT && dp->links ? 0 : err;
}

/* Does (name, len) in dp (locked) still name ip (NULL: nothing)? */
static int still(struct e2ino *dp, const char *name, size_t len, struct e2ino *ip,
		 struct dirloc *loc)
{
	int err = ext2_dir_find(dp, name, len, loc);
	if (err == -ENOENT)
		return ip ? CHANGED : 0;
	if (err)
		return err;
	return ip && loc->ino == ip->v.ino ? 0 : CHANGED;
}

/*
 * One try at a rename: src and tgt are looked up and checked with no
 * directory locked (the checks walk up through ".."), then both
 * directories are locked, an ancestor first, and the names checked
 * again: CHANGED if one changed meanwhile. Caller holds the rename
 * lock, so no other rename changes the tree's shape meanwhile.
 */
static int rename_try(struct e2ino *od, const char *oname, size_t olen, struct e2ino *nd,
		      const char *nname, size_t nlen)
{
	struct e2ino *src = NULL, *tgt = NULL;
	struct dirloc oloc, nloc;
	int err = name_of(od, oname, olen, &src);
	if (!err && !src)
		err = -ENOENT;
	if (!err)
		err = name_of(nd, nname, nlen, &tgt);
	if (err || tgt == src)
		goto out;	/* no source; or two names of one file: done */
	int od_first = ancestor(od, nd);
	if (od_first < 0)
		err = od_first;
	if (!err && is_dir(src) && od != nd) {
		int under = ancestor(src, nd);
		err = under < 0 ? under : under ? -EINVAL : 0;
	}
	if (!err && tgt)
		err = replace_check(od, src, tgt);
	if (!err && is_dir(src) && !tgt && od != nd && nd->links >= LINK_MAX)
		err = -EMLINK;
	if (err)
		goto out;
	lock_pair(od_first ? od : nd, od_first ? nd : od);
	if ((err = still(od, oname, olen, src, &oloc)) == 0 &&
	    (err = still(nd, nname, nlen, tgt, &nloc)) == 0)
		err = nd->links ? move(od, oname, olen, src, nd, nname, nlen, tgt, &nloc) : -ENOENT;
	unlock_pair(od_first ? od : nd, od_first ? nd : od);
out:
	if (tgt)
		ext2_iput(tgt);
	if (src)
		ext2_iput(src);
	return err;
}

static int e2_rename(struct vnode *odir, const char *oname, size_t olen, struct vnode *ndir,
		     const char *nname, size_t nlen)
{
	int err = name_check(ndir, nlen);
	if (err)
		return err;
	if (odir->type != VN_DIR)
		return -ENOTDIR;
	if (odir->fs != ndir->fs)
		return -EXDEV;
	if (olen > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	struct e2fs *f = E2FS(odir->fs);
	mutex_lock(&f->rename_lock);
	for (int tries = 0; tries < 16; tries++)
		if ((err = rename_try(E2INO(odir), oname, olen, E2INO(ndir), nname, nlen)) != CHANGED)
			break;
	mutex_unlock(&f->rename_lock);
	return err == CHANGED ? -EBUSY : err;
}

static int e2_read(struct vnode *v, uint32_t off, struct uio *u)
{
	if (v->type == VN_DIR)
		return -EISDIR;
	mutex_lock(&v->lock);
	int n = ext2_rdwr(E2INO(v), off, u, false);
	mutex_unlock(&v->lock);
	return n;
}

static int e2_write(struct vnode *v, uint32_t off, struct uio *u)
{
	if (v->type == VN_DIR)
		return -EISDIR;
	if (v->fs->readonly)
		return -EROFS;
	mutex_lock(&v->lock);
	int n = ext2_rdwr(E2INO(v), off, u, true);
	mutex_unlock(&v->lock);
	return n;
}

static int e2_truncate(struct vnode *v, uint32_t size)
{
	if (v->type != VN_FILE)
		return v->type == VN_DIR ? -EISDIR : -EINVAL;
	if (v->fs->readonly)
		return -EROFS;
	mutex_lock(&v->lock);
	int err = ext2_itrunc(E2INO(v), size);
	mutex_unlock(&v->lock);
	return err;
}

static int e2_getattr(struct vnode *v, struct vattr *a)
{
	struct e2ino *ip = E2INO(v);
	mutex_lock(&v->lock);
	*a = (struct vattr){
		.ino = v->ino, .mode = ip->mode, .nlink = ip->links, .size = ip->size,
		.blocks = ip->nblocks, .atime = ip->atime, .mtime = ip->mtime,
		.ctime = ip->ctime, .type = v->type,
	};
	mutex_unlock(&v->lock);
	return 0;
}

static int e2_readdir(struct vnode *v, uint32_t *cookie, struct vdirent *d)
{
	if (v->type != VN_DIR)
		return -ENOTDIR;
	struct e2fs *f = E2FS(v->fs);
	mutex_lock(&v->lock);
	int ret = ext2_dir_next(E2INO(v), cookie, d);
	if (ret == 1 && !f->filetype) {
		struct e2ino *ip;
		int err = entry_iget(f, d->ino, &ip);
		if (err) {
			ret = err;
		} else {
			d->type = ip->v.type;
			ext2_iput(ip);
		}
	}
	mutex_unlock(&v->lock);
	return ret;
}

/* fsync writes everything dirty of the file system, the file's data
 * before its metadata (docs/files.md, "What fsync promises"). */
static int e2_fsync(struct vnode *v)
{
	return bcache_sync(E2FS(v->fs)->dev);
}

static int e2_sync(struct fs *fs)
{
	return bcache_sync(E2FS(fs)->dev);
}

/* ---- every change passes the gate ------------------------------------------
 * so that ext2_shutdown() can wait for the changes in progress and let no
 * new one start before it marks the disk clean. */

static int gated_create(struct vnode *dir, const char *name, size_t len, uint32_t mode,
			struct vnode **out)
{
	int err = ext2_change_begin(E2FS(dir->fs));
	if (err)
		return err;
	err = e2_create(dir, name, len, mode, out);
	ext2_change_end(E2FS(dir->fs));
	return err;
}

static int gated_mkdir(struct vnode *dir, const char *name, size_t len, uint32_t mode)
{
	int err = ext2_change_begin(E2FS(dir->fs));
	if (err)
		return err;
	err = e2_mkdir(dir, name, len, mode);
	ext2_change_end(E2FS(dir->fs));
	return err;
}

static int gated_unlink(struct vnode *dir, const char *name, size_t len)
{
	int err = ext2_change_begin(E2FS(dir->fs));
	if (err)
		return err;
	err = e2_unlink(dir, name, len);
	ext2_change_end(E2FS(dir->fs));
	return err;
}

static int gated_rmdir(struct vnode *dir, const char *name, size_t len)
{
	int err = ext2_change_begin(E2FS(dir->fs));
	if (err)
		return err;
	err = e2_rmdir(dir, name, len);
	ext2_change_end(E2FS(dir->fs));
	return err;
}

static int gated_rename(struct vnode *odir, const char *oname, size_t olen,
			struct vnode *ndir, const char *nname, size_t nlen)
{
	int err = ext2_change_begin(E2FS(odir->fs));
	if (err)
		return err;
	err = e2_rename(odir, oname, olen, ndir, nname, nlen);
	ext2_change_end(E2FS(odir->fs));
	return err;
}

static int gated_link(struct vnode *dir, const char *name, size_t len, struct vnode *target)
{
	int err = ext2_change_begin(E2FS(dir->fs));
	if (err)
		return err;
	err = e2_link(dir, name, len, target);
	ext2_change_end(E2FS(dir->fs));
	return err;
}

static int gated_symlink(struct vnode *dir, const char *name, size_t len, const char *target,
			 size_t tlen)
{
	int err = ext2_change_begin(E2FS(dir->fs));
	if (err)
		return err;
	err = e2_symlink(dir, name, len, target, tlen);
	ext2_change_end(E2FS(dir->fs));
	return err;
}

static int gated_write(struct vnode *v, uint32_t off, struct uio *u)
{
	int err = ext2_change_begin(E2FS(v->fs));
	if (err)
		return err;
	err = e2_write(v, off, u);
	ext2_change_end(E2FS(v->fs));
	return err;
}

static int gated_truncate(struct vnode *v, uint32_t size)
{
	int err = ext2_change_begin(E2FS(v->fs));
	if (err)
		return err;
	err = e2_truncate(v, size);
	ext2_change_end(E2FS(v->fs));
	return err;
}

const struct fs_ops ext2_ops = {
	.lookup = e2_lookup,
	.create = gated_create,
	.mkdir = gated_mkdir,
	.unlink = gated_unlink,
	.rmdir = gated_rmdir,
	.rename = gated_rename,
	.link = gated_link,
	.symlink = gated_symlink,
	.readlink = e2_readlink,
	.read = e2_read,
	.write = gated_write,
	.truncate = gated_truncate,
	.getattr = e2_getattr,
	.readdir = e2_readdir,
	.fsync = e2_fsync,
	.sync = e2_sync,
	.release = ext2_release,
};
