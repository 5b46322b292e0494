/*
 * test_ext2_fuzz.c: ext2 (kernel/fs/ext2/) on damaged images, under
 * ASan and UBSan. Two images made by `mke2fs -d` (1 KiB and 4 KiB
 * blocks: files through the double-indirect level, directories, links)
 * are damaged in 600 ways chosen at random from a fixed seed: the
 * superblock's fields, the group descriptors, inodes' block pointers,
 * modes, sizes and link counts, indirect blocks, directory entries'
 * record lengths, name lengths and inode numbers, directory loops, and
 * random bytes among the metadata. Each is mounted (refused is fine),
 * walked, read, and changed (create, write, mkdir, rename, truncate,
 * unlink, rmdir), then unmounted. Nothing may crash, hang, leak or trip
 * a sanitizer, and the unmount must find no reference left behind.
 */
#include "fs_native.h"
#include "kernel/fs/bcache.c"
#include "kernel/fs/ext2/super.c"
#include "kernel/fs/ext2/inode.c"
#include "kernel/fs/ext2/dir.c"
#include "kernel/fs/ext2/ops.c"
#include "fs_util.h"

#define ROUNDS 600

static uint32_t seed = 12345;

static uint32_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

/* Where the base image keeps things, found by reading it. */
struct layout {
	uint8_t *base;
	size_t size;
	uint32_t bsize, itable, isize, gdt;
	uint32_t dirblocks[8], ndir;	/* directory data blocks */
	uint32_t indirect[8], nind;	/* indirect blocks */
};

static uint8_t *inode_at(struct layout *l, uint8_t *img, uint32_t ino)
{
	return img + (size_t)l->itable * l->bsize + (size_t)(ino - 1) * l->isize;
}

static void find_layout(struct layout *l)
{
	uint8_t *sb = l->base + 1024;
	l->bsize = 1024u << get32(sb + SB_LOG_BLOCK_SIZE);
	l->isize = get16(sb + SB_INODE_SIZE);
	l->gdt = get32(sb + SB_FIRST_DATA_BLOCK) + 1;
	l->itable = get32(l->base + (size_t)l->gdt * l->bsize + GD_INODE_TABLE);
	for (uint32_t ino = 1; ino <= 20; ino++) {
		uint8_t *raw = inode_at(l, l->base, ino);
		if (!get16(raw + DI_LINKS))
			continue;
		if ((get16(raw + DI_MODE) & S_IFMT) == S_IFDIR && l->ndir < 8)
			l->dirblocks[l->ndir++] = get32(raw + DI_BLOCK);
		for (int k = NDIR; k < NBLOCK && l->nind < 8; k++)
			if (get32(raw + DI_BLOCK + 4 * k))
				l->indirect[l->nind++] = get32(raw + DI_BLOCK + 4 * k);
	}
}

static void put32_at(uint8_t *p, uint32_t v)
{
	put32(p, v);
}

/* A value a damaged field might hold: extremes, near misses, metadata
 * block numbers, small inode numbers, or anything. */
static uint32_t nasty(struct layout *l)
{
	uint32_t blocks = (uint32_t)(l->size / l->bsize);
	switch (rnd() % 8) {
	case 0:
		return 0;
	case 1:
		return 0xFFFFFFFF;
	case 2:
		return blocks + rnd() % 3 - 1;
	case 3:
		return l->gdt + rnd() % 8;		/* descriptors, bitmaps */
	case 4:
		return l->itable + rnd() % 4;		/* the inode table */
	case 5:
		return 1 + rnd() % 16;			/* an inode number */
	case 6:
		return l->nind ? l->indirect[rnd() % l->nind] : 0;
	default:
		return rnd();
	}
}

/* The offset of the last entry of directory block dir. */
static uint32_t last_entry(struct layout *l, const uint8_t *dir)
{
	uint32_t off = 0, rec;
	while ((rec = get16(dir + off + DE_REC_LEN)) >= 8 && off + rec < l->bsize)
		off += rec;
	return off;
}

static void damage(struct layout *l, uint8_t *img)
{
	uint8_t *sb = img + 1024;
	static const uint32_t sbfields[] = {
		SB_INODES_COUNT, SB_BLOCKS_COUNT, SB_FREE_BLOCKS, SB_FREE_INODES,
		SB_FIRST_DATA_BLOCK, SB_LOG_BLOCK_SIZE, SB_BLOCKS_PER_GROUP, SB_INODES_PER_GROUP,
		SB_MAGIC, SB_REV_LEVEL, SB_FIRST_INO, SB_INODE_SIZE, SB_FEATURE_INCOMPAT,
		SB_FEATURE_RO_COMPAT,
	};
	uint32_t ino = 1 + rnd() % 16;
	uint8_t *raw = inode_at(l, img, ino);
	uint8_t *dir = img + (size_t)l->dirblocks[rnd() % l->ndir] * l->bsize;
	uint32_t off;
	switch (rnd() % 10) {
	case 0:
		sb[rnd() % 256] = (uint8_t)rnd();
		break;
	case 1: {
		uint32_t f = sbfields[rnd() % (sizeof sbfields / sizeof *sbfields)];
		if (f == SB_MAGIC || f == SB_INODE_SIZE)
			put16(sb + f, (uint16_t)nasty(l));
		else
			put32_at(sb + f, nasty(l));
		break;
	}
	case 2:
		put32_at(img + (size_t)l->gdt * l->bsize + (rnd() % 3) * 4, nasty(l));
		break;
	case 3:
		img[(size_t)l->gdt * l->bsize + rnd() % 32] = (uint8_t)rnd();
		break;
	case 4:
		put32_at(raw + DI_BLOCK + 4 * (rnd() % NBLOCK), nasty(l));
		break;
	case 5:
		switch (rnd() % 4) {
		case 0:
			put16(raw + DI_MODE, (uint16_t)rnd());
			break;
		case 1:
			put32_at(raw + DI_SIZE, nasty(l));
			break;
		case 2:
			put16(raw + DI_LINKS, (uint16_t)(rnd() % 3));
			break;
		default:
			put32_at(raw + DI_FLAGS, rnd());
		}
		break;
	case 6:
		if (l->nind) {
			uint8_t *ib = img + (size_t)l->indirect[rnd() % l->nind] * l->bsize;
			put32_at(ib + 4 * (rnd() % (l->bsize / 4)), nasty(l));
		}
		break;
	case 7:
		/* An entry's record length or name length: one of the first
		 * or the block's last (whose bytes end where the block does). */
		off = rnd() % 2 ? 12 * (rnd() % 4) : last_entry(l, dir);
		if (rnd() % 2)
			put16(dir + off + DE_REC_LEN, (uint16_t)(rnd() % 3 ? rnd() % 64 : rnd()));
		else
			dir[off + DE_NAME_LEN] = (uint8_t)rnd();
		break;
	case 8:
		/* An entry's inode: a loop (the root, the directory itself),
		 * out of range, or reserved. */
		off = rnd() % 2 ? 12 : 24;
		put32_at(dir + (off < l->bsize ? off : 0), rnd() % 2 ? 2 : nasty(l));
		break;
	default:
		img[(size_t)(rnd() % (l->itable + 8)) * l->bsize + rnd() % l->bsize] = (uint8_t)rnd();
	}
}

static int visited;

/* Walks, reads and checks everything under v, bounded. */
static void explore(struct vnode *v, int depth)
{
	struct vattr a;
	static uint8_t buf[65536];
	if (++visited > 300 || v->fs->ops->getattr(v, &a))
		return;
	if (v->type == VN_FILE) {
		for (uint32_t off = 0; off < a.size && off < (2u << 20); off += sizeof buf)
			if (fs_read(v, off, buf, sizeof buf) <= 0)
				break;
	} else if (v->type == VN_SYMLINK) {
		struct uio u = { (char *)buf, sizeof buf, false };
		v->fs->ops->readlink(v, &u);
	} else if (depth < 8) {
		uint32_t cookie = 0;
		struct vdirent d;
		for (int n = 0; n < 100 && v->fs->ops->readdir(v, &cookie, &d) == 1; n++) {
			struct vnode *c;
			if (v->fs->ops->lookup(v, d.name, d.len, &c) == 0) {
				explore(c, depth + 1);
				vnode_put(c);
			}
		}
		struct vnode *up;
		if (v->fs->ops->lookup(v, "..", 2, &up) == 0)
			vnode_put(up);
	}
}

/* Changes to a mounted (maybe damaged) file system; errors are fine. */
static void change(struct fs *f)
{
	const struct fs_ops *o = f->ops;
	struct vnode *root = f->root, *v, *d;
	static uint8_t buf[20000];
	memset(buf, 0x5A, sizeof buf);
	if (o->create(root, "new", 3, 0644, &v) == 0) {
		fs_write(v, 0, buf, sizeof buf);
		fs_read(v, 0, buf, sizeof buf);
		vnode_put(v);
	}
	o->mkdir(root, "nd", 2, 0755);
	o->rename(root, "new", 3, root, "a", 1);
	if (o->lookup(root, "nd", 2, &d) == 0) {
		o->rename(root, "a", 1, d, "a", 1);
		o->rename(d, "a", 1, root, "back", 4);
		o->symlink(d, "sl", 2, "../back", 7);
		o->unlink(d, "sl", 2);
		vnode_put(d);
	}
	if (o->lookup(root, "big", 3, &v) == 0) {
		o->truncate(v, 1000);
		fs_write(v, 100000, buf, 5000);
		vnode_put(v);
	}
	o->link(root, "hard", 4, root);
	o->unlink(root, "back", 4);
	o->rmdir(root, "nd", 2);
	o->rmdir(root, "a", 1);
	o->sync(f);
}

static int mounted, refused;

static void one(struct layout *l, uint8_t *img)
{
	memcpy(img, l->base, l->size);
	int n = 1 + rnd() % 3;
	for (int i = 0; i < n; i++)
		damage(l, img);
	struct memdisk md;
	memdisk_init(&md, img, l->size);
	struct fs *f;
	bool ro = rnd() % 8 == 0;
	if (ext2_mount(&md.d, ro, &f)) {
		refused++;
		return;
	}
	mounted++;
	visited = 0;
	explore(f->root, 0);
	if (!f->readonly)
		change(f);
	visited = 0;
	explore(f->root, 0);
	int err = ext2_unmount(f);
	CHECKEQ(err == -EBUSY, 0);
}

static void base_image(uint32_t bsize, struct layout *l)
{
	char src[512], img[512], p[1024];
	snprintf(src, sizeof src, "%s/src%u", tmpdir, bsize);
	snprintf(img, sizeof img, "%s/base%u.img", tmpdir, bsize);
	sh("mkdir -p %s/a/b/c", src);
	uint32_t big = bsize == 1024 ? 300000 : 4300000;
	snprintf(p, sizeof p, "%s/big", src);
	int fd = open(p, O_WRONLY | O_CREAT, 0644);
	uint8_t *buf = calloc(1, big);
	fill(buf, big, 1, 0);
	CHECK(write(fd, buf, big) == (ssize_t)big);
	close(fd);
	free(buf);
	sh("echo hello > %s/a/small && ln -s small %s/a/l && ln -s %0100d %s/a/b/long && "
	   "ln %s/a/small %s/a/b/c/hard", src, src, 1, src, src, src);
	CHECKEQ(sh("mke2fs -q -F -t ext2 -b %u -N 64 -d %s %s %s > /dev/null 2>&1", bsize, src, img,
		   bsize == 1024 ? "1M" : "8M"), 0);
	struct image im;
	img_load(&im, img);
	memset(l, 0, sizeof *l);
	l->base = im.bytes;
	l->size = im.size;
	find_layout(l);
	CHECK(l->ndir >= 3 && l->nind >= 2);
}

int main(void)
{
	if (sh("command -v mke2fs > /dev/null")) {
		printf("FAIL: e2fsprogs are not installed (scripts/deps.sh installs them)\n");
		return 1;
	}
	alarm(55);	/* a hang fails here, not by the runner's timeout */
	make_tmpdir();
	CHECKEQ(bcache_init(32), 0);
	struct layout l[2];
	base_image(1024, &l[0]);
	base_image(4096, &l[1]);
	/* The undamaged images mount and survive the same treatment. */
	for (int i = 0; i < 2; i++) {
		struct memdisk md;
		struct fs *f;
		uint8_t *img = malloc(l[i].size);
		memcpy(img, l[i].base, l[i].size);
		memdisk_init(&md, img, l[i].size);
		CHECKEQ(ext2_mount(&md.d, false, &f), 0);
		change(f);
		CHECKEQ(ext2_unmount(f), 0);
		free(img);
	}
	for (int r = 0; r < ROUNDS; r++) {
		struct layout *L = &l[r % 2];
		uint8_t *img = malloc(L->size);
		one(L, img);
		free(img);
	}
	printf("%d damaged images: %d mounted, %d refused; %d log lines\n", ROUNDS, mounted,
	       refused, native_logs);
	CHECK(mounted > ROUNDS / 4 && refused > ROUNDS / 20);
	free(l[0].base);
	free(l[1].base);
	remove_tmpdir();
	printf("%s: %d failures\n", __FILE__, failures);
	return failures != 0;
}
