/*
 * ktest_ext2.c: ext2 and the block cache inside the kernel, with its
 * mutexes, heap and compiler, on a disk in kernel memory that the test
 * formats itself (one group, 1 KiB blocks, as mke2fs would lay it out):
 * mount, files of every map level the disk has room for, directories,
 * links, a rename, removals, a truncate; unmount, mount again, and
 * everything reads back; the bitmaps' free counts come back to the
 * formatted ones when everything is removed. The native tests
 * (tests/unit/test_ext2*.c) check the same code against e2fsprogs.
 */
#include "debug/ktest.h"
#include "fs/bcache.h"
#include "fs/ext2/ext2_int.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"

#define KBLOCKS	1024		/* 1 MiB */
#define KINODES	64
#define KMETA	14		/* blocks 1-13 (superblock to root directory) used */

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

/* Superblock at 1, descriptors at 2, bitmaps at 3 and 4, inode table at
 * 5-12, the root directory's block at 13. */
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
	put32(root + DI_BLOCK, 13);
	uint8_t *d = blk(13);
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

static int kwrite(struct vnode *v, uint32_t off, uint32_t n, uint32_t seed)
{
	static uint8_t buf[4096];
	for (uint32_t done = 0; done < n; ) {
		uint32_t m = n - done < sizeof buf ? n - done : sizeof buf;
		for (uint32_t i = 0; i < m; i++)
			buf[i] = pat(seed, off + done + i);
		struct uio u = { (char *)buf, m, false };
		int got = v->fs->ops->write(v, off + done, &u);
		if (got != (int)m)
			return got < 0 ? got : -EIO;
		done += m;
	}
	return 0;
}

/* Does v hold n bytes of pattern seed from off (holes: zeros)? */
static bool kmatch(struct vnode *v, uint32_t off, uint32_t n, uint32_t seed)
{
	static uint8_t buf[4096];
	for (uint32_t done = 0; done < n; ) {
		uint32_t m = n - done < sizeof buf ? n - done : sizeof buf;
		struct uio u = { (char *)buf, m, false };
		if (v->fs->ops->read(v, off + done, &u) != (int)m)
			return false;
		for (uint32_t i = 0; i < m; i++)
			if (buf[i] != (seed ? pat(seed, off + done + i) : 0))
				return false;
		done += m;
	}
	return true;
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
