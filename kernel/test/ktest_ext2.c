/*
 * ktest_ext2.c: ext2 and the block cache inside the kernel, with its
 * mutexes, heap and compiler, on a disk in kernel memory that the test
 * formats itself (one group, 1 KiB blocks, as mke2fs would lay it out):
 * mount, files of every map level the disk has room for, directories,
 * links, a rename, removals, a truncate; unmount, mount again, and
 * everything reads back; the bitmaps' free counts come back to the
 * formatted ones when everything is removed. Then the same with four
 * kernel threads at once. The native tests
 * (tests/unit/test_ext2*.c) check the same code against e2fsprogs.
 *
 * Lock tags (docs/sync.md): [m] tlock, the threads' test's mutex.
 */
#include "debug/ktest.h"
#include "fs/bcache.h"
#include "fs/ext2/ext2_int.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "proc/proc.h"
#include "sync/cond.h"
#include "sync/mutex.h"

#define KBLOCKS	1024		/* 1 MiB */
#define KINODES	256
#define KITB	(KINODES * 128 / 1024)	/* inode table blocks */
#define KROOT	(5 + KITB)	/* the root directory's block */
#define KMETA	(KROOT + 1)	/* blocks 1 to KROOT are used */

static uint8_t *kdisk;

static int kdisk_rw(struct blkdev *d, uint32_t sector, uint32_t count, void *buf, bool write)
{
	if (sector + count > d->nsectors || sector + count < sector)
		return -EIO;
	uint8_t *p = kdisk + sector * SECTOR_SIZE;
	memcpy(write ? p : buf, write ? buf : p, count * SECTOR_SIZE);
	return 0;
}

static int kdisk_flush(struct blkdev *d)
{
	(void)d;
	return 0;
}

static struct blkdev kdev = {
	.name = "kt0", .nsectors = KBLOCKS * 2, .rw = kdisk_rw, .flush = kdisk_flush,
};

static uint8_t *blk(uint32_t b)
{
	return kdisk + b * 1024;
}

/* Sets bits [from, to) of a bitmap block. */
static void set_bits(uint8_t *map, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		map[i / 8] |= (uint8_t)(1u << (i % 8));
}

/* Superblock at 1, descriptors at 2, bitmaps at 3 and 4, the inode
 * table from 5, then the root directory's block. */
static void format(void)
{
	memset(kdisk, 0, KBLOCKS * 1024);
	uint8_t *sb = blk(1), *gd = blk(2), *root = blk(5) + 128;
	put32(sb + SB_INODES_COUNT, KINODES);
	put32(sb + SB_BLOCKS_COUNT, KBLOCKS);
	put32(sb + SB_FREE_BLOCKS, KBLOCKS - KMETA);
	put32(sb + SB_FREE_INODES, KINODES - 11);
	put32(sb + SB_FIRST_DATA_BLOCK, 1);
	put32(sb + SB_BLOCKS_PER_GROUP, 8192);
	put32(sb + 36, 8192);	/* fragments per group */
	put32(sb + SB_INODES_PER_GROUP, KINODES);
	put16(sb + SB_MAGIC, EXT2_MAGIC);
	put16(sb + SB_STATE, EXT2_STATE_CLEAN);
	put32(sb + SB_REV_LEVEL, EXT2_DYNAMIC_REV);
	put32(sb + SB_FIRST_INO, 11);
	put16(sb + SB_INODE_SIZE, 128);
	put32(sb + SB_FEATURE_INCOMPAT, INCOMPAT_FILETYPE);
	put32(gd + GD_BLOCK_BITMAP, 3);
	put32(gd + GD_INODE_BITMAP, 4);
	put32(gd + GD_INODE_TABLE, 5);
	put16(gd + GD_FREE_BLOCKS, KBLOCKS - KMETA);
	put16(gd + GD_FREE_INODES, KINODES - 11);
	put16(gd + GD_USED_DIRS, 1);
	set_bits(blk(3), 0, KMETA - 1);		/* bit i is block i + 1 */
	set_bits(blk(3), KBLOCKS - 1, 8192);	/* past the end */
	set_bits(blk(4), 0, 11);		/* the reserved inodes */
	set_bits(blk(4), KINODES, 8192);
	put16(root + DI_MODE, S_IFDIR | 0755);
	put16(root + DI_LINKS, 2);
	put32(root + DI_SIZE, 1024);
	put32(root + DI_BLOCKS, 2);
	put32(root + DI_BLOCK, KROOT);
	uint8_t *d = blk(KROOT);
	put32(d + DE_INODE, 2);
	put16(d + DE_REC_LEN, 12);
	d[DE_NAME_LEN] = 1;
	d[DE_TYPE] = FT_DIR;
	d[DE_NAME] = '.';
	put32(d + 12 + DE_INODE, 2);
	put16(d + 12 + DE_REC_LEN, 1012);
	d[12 + DE_NAME_LEN] = 2;
	d[12 + DE_TYPE] = FT_DIR;
	memcpy(d + 12 + DE_NAME, "..", 2);
}

static uint8_t pat(uint32_t seed, uint32_t off)
{
	uint32_t x = (off + 1) * 2654435761u ^ seed * 40503u;
	return (uint8_t)(x >> 13 ^ x);
}

/* Buffers are the caller's own: the threads' test shares these. */
static int kwrite(struct vnode *v, uint32_t off, uint32_t n, uint32_t seed)
{
	uint8_t *buf = kmalloc(4096);
	int err = buf ? 0 : -ENOMEM;
	for (uint32_t done = 0; done < n && !err; ) {
		uint32_t m = n - done < 4096 ? n - done : 4096;
		for (uint32_t i = 0; i < m; i++)
			buf[i] = pat(seed, off + done + i);
		struct uio u = { (char *)buf, m, false };
		int got = v->fs->ops->write(v, off + done, &u);
		if (got != (int)m)
			err = got < 0 ? got : -EIO;
		done += m;
	}
	kfree(buf);
	return err;
}

/* Does v hold n bytes of pattern seed from off (holes: zeros)? */
static bool kmatch(struct vnode *v, uint32_t off, uint32_t n, uint32_t seed)
{
	uint8_t *buf = kmalloc(4096);
	bool ok = buf != NULL;
	for (uint32_t done = 0; done < n && ok; ) {
		uint32_t m = n - done < 4096 ? n - done : 4096;
		struct uio u = { (char *)buf, m, false };
		if (v->fs->ops->read(v, off + done, &u) != (int)m)
			ok = false;
		for (uint32_t i = 0; i < m && ok; i++)
			if (buf[i] != (seed ? pat(seed, off + done + i) : 0))
				ok = false;
		done += m;
	}
	kfree(buf);
	return ok;
}

static struct vnode *kfile(struct fs *fs, struct vnode *dir, const char *name)
{
	struct vnode *v = NULL;
	if (fs->ops->lookup(dir, name, strlen(name), &v) == -ENOENT)
		fs->ops->create(dir, name, strlen(name), 0644, &v);
	return v;
}

static uint32_t free_blocks(void)
{
	return get16(blk(2) + GD_FREE_BLOCKS);
}

KTEST(ext2_files)
{
	kdisk = kmalloc(KBLOCKS * 1024);
	KCHECK(kdisk != NULL);
	if (!kdisk)
		return;
	format();
	struct fs *fs;
	KCHECK(ext2_mount(&kdev, false, &fs) == 0);
	const struct fs_ops *o = fs->ops;
	struct vnode *root = fs->root, *v, *d;
	/* Direct, single and double indirect blocks, and a hole. */
	KCHECK((v = kfile(fs, root, "small")) != NULL && kwrite(v, 0, 5000, 1) == 0);
	vnode_put(v);
	KCHECK((v = kfile(fs, root, "big")) != NULL && kwrite(v, 0, 300 * 1024, 2) == 0);
	KCHECK(kwrite(v, 400 * 1024, 100, 3) == 0);
	vnode_put(v);
	KCHECK(o->mkdir(root, "dir", 3, 0755) == 0);
	KCHECK(o->lookup(root, "dir", 3, &d) == 0);
	KCHECK((v = kfile(fs, d, "inner")) != NULL && kwrite(v, 0, 1500, 4) == 0);
	KCHECK(o->link(root, "again", 5, v) == 0);
	vnode_put(v);
	KCHECK(o->symlink(d, "up", 2, "../small", 8) == 0);
	KCHECK(o->rename(root, "small", 5, d, "moved", 5) == 0);
	KCHECK(o->rmdir(root, "dir", 3) == -ENOTEMPTY);
	KCHECK(o->create(root, "big", 3, 0644, &v) == -EEXIST);
	vnode_put(d);
	KCHECK(ext2_unmount(fs) == 0);

	/* A new mount reads it all back. */
	KCHECK(ext2_mount(&kdev, false, &fs) == 0);
	o = fs->ops;
	root = fs->root;
	KCHECK(o->lookup(root, "big", 3, &v) == 0);
	KCHECK(kmatch(v, 0, 300 * 1024, 2) && kmatch(v, 300 * 1024, 100 * 1024, 0) &&
	       kmatch(v, 400 * 1024, 100, 3));
	KCHECK(o->truncate(v, 1000) == 0 && kmatch(v, 0, 1000, 2));
	vnode_put(v);
	KCHECK(o->lookup(root, "dir", 3, &d) == 0);
	KCHECK(o->lookup(d, "moved", 5, &v) == 0 && kmatch(v, 0, 5000, 1));
	vnode_put(v);
	KCHECK(o->lookup(root, "again", 5, &v) == 0 && kmatch(v, 0, 1500, 4));
	vnode_put(v);
	char t[16];
	struct uio u = { t, sizeof t, false };
	KCHECK(o->lookup(d, "up", 2, &v) == 0 && o->readlink(v, &u) == 8 &&
	       memcmp(t, "../small", 8) == 0);
	vnode_put(v);
	/* Everything goes; the free counts are the formatted ones. */
	KCHECK(o->unlink(d, "moved", 5) == 0 && o->unlink(d, "inner", 5) == 0 &&
	       o->unlink(d, "up", 2) == 0);
	vnode_put(d);
	KCHECK(o->rmdir(root, "dir", 3) == 0 && o->unlink(root, "again", 5) == 0 &&
	       o->unlink(root, "big", 3) == 0);
	KCHECK(ext2_unmount(fs) == 0);
	KCHECK(free_blocks() == KBLOCKS - KMETA);
	KCHECK(get16(blk(2) + GD_FREE_INODES) == KINODES - 11);
	KCHECK(get32(blk(1) + SB_FREE_BLOCKS) == KBLOCKS - KMETA);
	KCHECK(get16(blk(1) + SB_STATE) & EXT2_STATE_CLEAN);
	struct bcache_stats s;
	bcache_stats(&s);
	KCHECK(s.hits > 0 && s.misses > 0);
	kfree(kdisk);
}

/* ---- threads ------------------------------------------------------------ */

#define KTHREADS 4
#define KROUNDS 40

static struct fs *tfs;
static struct mutex tlock = MUTEX_INIT(tlock, "ktest ext2");
static struct cond tdone = COND_INIT(tdone);
static int tnext, tfinished, terrors;	/* [m] tlock */
static uint8_t tgone[KTHREADS][KROUNDS];	/* [m] tlock: file removed */

#define terror() terror_at(__LINE__)

/* A worker's check failed at line; the test reports the count. */
static void terror_at(int line)
{
	klog(LOG_WARN, "ktest_ext2.c:%d: a worker's check failed", line);
	mutex_lock(&tlock);
	terrors++;
	mutex_unlock(&tlock);
}

static void name_of(char *s, char c, int id, int i)
{
	s[0] = c;
	s[1] = (char)('0' + id);
	s[2] = (char)('a' + i / 26);
	s[3] = (char)('a' + i % 26);
	s[4] = '\0';
}

/* Files of its own in its own directory, checked; names in a shared
 * directory that the others use too (their errors are expected). */
static void tworker(void)
{
	const struct fs_ops *o = tfs->ops;
	struct vnode *mine = NULL, *shared = NULL, *v;
	char dir[4] = { 'd', 0, 0, 0 }, a[8], b[8];
	mutex_lock(&tlock);
	int id = tnext++;
	mutex_unlock(&tlock);
	dir[1] = (char)('0' + id);
	if (o->mkdir(tfs->root, dir, 2, 0755) || o->lookup(tfs->root, dir, 2, &mine) ||
	    o->lookup(tfs->root, "shared", 6, &shared))
		terror();
	for (int i = 0; mine && shared && i < KROUNDS; i++) {
		name_of(a, 't', id, i);
		name_of(b, 'f', id, i);
		int err = o->create(mine, a, 4, 0644, &v);
		if (err) {
			klog(LOG_WARN, "ktest_ext2.c: create: error %d", err);
			terror();
			continue;
		}
		if (kwrite(v, 0, 3000 + 100 * (uint32_t)i, (uint32_t)(id * 100 + i + 1)) ||
		    !kmatch(v, 0, 3000 + 100 * (uint32_t)i, (uint32_t)(id * 100 + i + 1)))
			terror();
		vnode_put(v);
		if (o->rename(mine, a, 4, mine, b, 4))
			terror();
		if (i % 3 == 2) {
			if (o->unlink(mine, b, 4))
				terror();
			mutex_lock(&tlock);
			tgone[id][i] = 1;
			mutex_unlock(&tlock);
		}
		name_of(a, 's', 0, i % 5);
		if (o->create(shared, a, 4, 0644, &v) == 0) {
			kwrite(v, 0, 2000, 9);
			vnode_put(v);
		}
		o->mkdir(shared, "x", 1, 0755);
		o->rename(shared, a, 4, shared, "y", 1);
		o->rmdir(shared, "x", 1);
		o->unlink(shared, "y", 1);
	}
	if (mine)
		vnode_put(mine);
	if (shared)
		vnode_put(shared);
	mutex_lock(&tlock);
	tfinished++;
	cond_broadcast(&tdone);
	for (;;)			/* a kernel thread never returns */
		cond_wait(&tdone, &tlock);
}

/* Empties directory dir (files only, and the subdirectories named). */
static void empty_dir(struct vnode *dir)
{
	const struct fs_ops *o = dir->fs->ops;
	struct vdirent d;
	uint32_t cookie;
	do {
		cookie = 0;
		if (o->readdir(dir, &cookie, &d) != 1)
			break;
		int err = d.type == VN_DIR ? o->rmdir(dir, d.name, d.len) :
					     o->unlink(dir, d.name, d.len);
		KCHECK(err == 0);
		if (err)
			break;
	} while (1);
}

KTEST(ext2_threads)
{
	kdisk = kmalloc(KBLOCKS * 1024);
	KCHECK(kdisk != NULL);
	if (!kdisk)
		return;
	format();
	KCHECK(ext2_mount(&kdev, false, &tfs) == 0);
	KCHECK(tfs->ops->mkdir(tfs->root, "shared", 6, 0755) == 0);
	for (int i = 0; i < KTHREADS; i++)
		KCHECK(proc_kthread(tworker) > 0);
	mutex_lock(&tlock);
	while (tfinished < KTHREADS)
		cond_wait(&tdone, &tlock);
	KCHECK(terrors == 0);
	mutex_unlock(&tlock);
	KCHECK(ext2_unmount(tfs) == 0);
	KCHECK(ext2_mount(&kdev, false, &tfs) == 0);
	const struct fs_ops *o = tfs->ops;
	struct vnode *d, *v;
	for (int id = 0; id < KTHREADS; id++) {
		char dir[3] = { 'd', (char)('0' + id), 0 }, b[8];
		KCHECK(o->lookup(tfs->root, dir, 2, &d) == 0);
		for (int i = 0; i < KROUNDS; i++) {
			name_of(b, 'f', id, i);
			int err = o->lookup(d, b, 4, &v);
			KCHECK(err == (tgone[id][i] ? -ENOENT : 0));
			if (err)
				continue;
			KCHECK(kmatch(v, 0, 3000 + 100 * (uint32_t)i, (uint32_t)(id * 100 + i + 1)));
			vnode_put(v);
		}
		empty_dir(d);
		vnode_put(d);
		KCHECK(o->rmdir(tfs->root, dir, 2) == 0);
	}
	KCHECK(o->lookup(tfs->root, "shared", 6, &d) == 0);
	empty_dir(d);
	vnode_put(d);
	KCHECK(o->rmdir(tfs->root, "shared", 6) == 0);
	KCHECK(ext2_unmount(tfs) == 0);
	/* Every block and inode the threads took came back. */
	KCHECK(free_blocks() == KBLOCKS - KMETA);
	KCHECK(get16(blk(2) + GD_FREE_INODES) == KINODES - 11);
	KCHECK(get16(blk(2) + GD_USED_DIRS) == 1);
	kfree(kdisk);
}
