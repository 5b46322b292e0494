/*
 * test_ext2.c: ext2 (kernel/fs/ext2/) over the block cache, natively
 * under ASan and UBSan, with the host's e2fsprogs as the oracle, for 1
 * KiB and 4 KiB blocks:
 *  - images made by `mke2fs -d` read back byte-exact (files of every
 *    size class, sparse, deep, hard and symbolic links);
 *  - the same operations done here and on a host directory (files up
 *    to 64 MiB, sparse ones up to the triple-indirect range, deep
 *    directories, links, renames, unlinks, truncates) give an image
 *    that `e2fsck -fn` finds clean and `debugfs rdump` turns into that
 *    host directory, and that reads back the same after a new mount;
 *  - a full disk and a full inode table give ENOSPC and lose nothing;
 *    names too long, renames of a directory under itself, rmdir of a
 *    full directory are refused;
 *  - 8 threads at once creating, writing, reading, renaming and
 *    removing files leave a clean image with the contents expected.
 * The cache is small (64 buffers), so eviction and ordered writes run
 * all the time.
 */
#include "fs_native.h"
#include "kernel/fs/bcache.c"
#include "kernel/fs/ext2/super.c"
#include "kernel/fs/ext2/inode.c"
#include "kernel/fs/ext2/dir.c"
#include "kernel/fs/ext2/ops.c"
#include "fs_util.h"

static struct image im;
static struct fs *fs;
static char model[512];

static void mount_image(const char *path)
{
	img_load(&im, path);
	int err = ext2_mount(&im.md.d, false, &fs);
	CHECKEQ(err, 0);
	if (err)
		exit(1);
}

static void unmount_image(void)
{
	CHECKEQ(ext2_unmount(fs), 0);
	img_save(&im);
	img_free(&im);
	fs = NULL;
}

/* ---- operations done here and on the host model ------------------------- */

static void host(const char *rel, char *out)
{
	snprintf(out, 1024, "%s/%s", model, rel);
}

static int op_write(const char *path, uint64_t off, uint32_t n, uint32_t seed)
{
	struct vnode *dir, *v;
	const char *name;
	int err = parent_of(fs, path, &dir, &name);
	if (err)
		return err;
	err = fs->ops->lookup(dir, name, strlen(name), &v);
	if (err == -ENOENT)
		err = fs->ops->create(dir, name, strlen(name), 0644, &v);
	vnode_put(dir);
	if (err)
		return err;
	char hp[1024];
	host(path, hp);
	int fd = open(hp, O_WRONLY | O_CREAT, 0644);
	uint8_t *buf = malloc(1 << 20);
	uint32_t done = 0;
	while (done < n) {
		uint32_t m = n - done < (1u << 20) ? n - done : 1u << 20;
		fill(buf, m, seed, off + done);
		int got = fs_write(v, (uint32_t)(off + done), buf, m);
		if (got <= 0) {
			err = got;
			break;
		}
		CHECK(pwrite(fd, buf, (size_t)got, (off_t)(off + done)) == got);
		done += (uint32_t)got;
	}
	free(buf);
	close(fd);
	vnode_put(v);
	return err;
}

static int op_mkdir(const char *path)
{
	struct vnode *dir;
	const char *name;
	int err = parent_of(fs, path, &dir, &name);
	if (err)
		return err;
	err = fs->ops->mkdir(dir, name, strlen(name), 0755);
	vnode_put(dir);
	char hp[1024];
	host(path, hp);
	CHECKEQ(mkdir(hp, 0755) == 0, err == 0);
	return err;
}

static int op_remove(const char *path, bool dir)
{
	struct vnode *d;
	const char *name;
	int err = parent_of(fs, path, &d, &name);
	if (err)
		return err;
	err = dir ? fs->ops->rmdir(d, name, strlen(name)) : fs->ops->unlink(d, name, strlen(name));
	vnode_put(d);
	char hp[1024];
	host(path, hp);
	CHECKEQ((dir ? rmdir(hp) : unlink(hp)) == 0, err == 0);
	return err;
}

static int op_rename(const char *from, const char *to)
{
	struct vnode *od, *nd;
	const char *on, *nn;
	int err = parent_of(fs, from, &od, &on);
	if (err)
		return err;
	if ((err = parent_of(fs, to, &nd, &nn))) {
		vnode_put(od);
		return err;
	}
	err = fs->ops->rename(od, on, strlen(on), nd, nn, strlen(nn));
	vnode_put(od);
	vnode_put(nd);
	char hf[1024], ht[1024];
	host(from, hf);
	host(to, ht);
	CHECKEQ(rename(hf, ht) == 0, err == 0);
	return err;
}

static int op_link(const char *from, const char *to)
{
	struct vnode *v, *nd;
	const char *nn;
	int err = walk(fs, from, &v);
	if (err)
		return err;
	if ((err = parent_of(fs, to, &nd, &nn)) == 0) {
		err = fs->ops->link(nd, nn, strlen(nn), v);
		vnode_put(nd);
	}
	vnode_put(v);
	char hf[1024], ht[1024];
	host(from, hf);
	host(to, ht);
	CHECKEQ(link(hf, ht) == 0, err == 0);
	return err;
}

static int op_symlink(const char *path, const char *target)
{
	struct vnode *d;
	const char *name;
	int err = parent_of(fs, path, &d, &name);
	if (err)
		return err;
	err = fs->ops->symlink(d, name, strlen(name), target, strlen(target));
	vnode_put(d);
	char hp[1024];
	host(path, hp);
	CHECKEQ(symlink(target, hp) == 0, err == 0);
	return err;
}

static int op_truncate(const char *path, uint32_t size)
{
	struct vnode *v;
	int err = walk(fs, path, &v);
	if (err)
		return err;
	err = fs->ops->truncate(v, size);
	vnode_put(v);
	char hp[1024];
	host(path, hp);
	CHECKEQ(truncate(hp, size) == 0, err == 0);
	return err;
}

/* ---- images made by mke2fs read back ------------------------------------ */

static void host_file(const char *path, uint64_t off, uint32_t n, uint32_t seed)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0644);
	uint8_t *buf = malloc(n ? n : 1);
	fill(buf, n, seed, off);
	CHECK(pwrite(fd, buf, n, (off_t)off) == (ssize_t)n);
	free(buf);
	close(fd);
}

static void test_read_mke2fs(uint32_t bsize)
{
	char src[512], img[512], p[1024];
	snprintf(src, sizeof src, "%s/src%u", tmpdir, bsize);
	snprintf(img, sizeof img, "%s/read%u.img", tmpdir, bsize);
	sh("mkdir -p %s/sub/deeper/still", src);
	static const uint32_t sizes[] = { 0, 1, 100, 1023, 1024, 1025, 4096, 4097, 12 * 1024,
					  12 * 1024 + 1, 268 * 1024, 268 * 1024 + 5, 1100000,
					  3 * 1024 * 1024 + 123 };
	for (unsigned i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		snprintf(p, sizeof p, "%s/f%u", src, sizes[i]);
		host_file(p, 0, sizes[i], i + 1);
	}
	snprintf(p, sizeof p, "%s/sparse", src);
	host_file(p, 0, 100, 77);
	host_file(p, 5 << 20, 100, 78);
	snprintf(p, sizeof p, "%s/sub/deeper/still/file", src);
	host_file(p, 0, 5000, 99);
	sh("ln -s f1024 %s/shortlink && ln -s %0200d %s/longlink && ln %s/f1 %s/sub/hard",
	   src, 7, src, src, src);
	/* Extended attributes: a small one fits in the inode, a large one
	 * takes a block of its own; removing the file frees that block. */
	sh("mkdir -p %s/../xa%u && echo x > %s/../xa%u/small && echo y > %s/../xa%u/big && "
	   "python3 -c \"import os; os.setxattr('%s/../xa%u/small', 'user.a', b'v'); "
	   "os.setxattr('%s/../xa%u/big', 'user.b', b'w' * 700)\" && cp -a %s/../xa%u/* %s/",
	   src, bsize, src, bsize, src, bsize, src, bsize, src, bsize, src, bsize, src);
	CHECKEQ(sh("mke2fs -q -F -t ext2 -b %u -d %s %s 32M > /dev/null 2>&1", bsize, src, img), 0);
	mount_image(img);
	compare_tree(fs->root, src, 0);
	CHECKEQ(fs->ops->unlink(fs->root, "big", 3), 0);
	CHECKEQ(fs->ops->unlink(fs->root, "small", 5), 0);
	struct bcache_stats s;
	bcache_stats(&s);
	CHECK(s.hits > 0 && s.misses > 0);
	unmount_image();
	CHECKEQ(fsck_clean(img), 0);
}

/* ---- files written here read back by debugfs ---------------------------- */

static void test_write(uint32_t bsize, uint32_t big, const char *imgsize)
{
	char img[512];
	snprintf(img, sizeof img, "%s/write%u.img", tmpdir, bsize);
	snprintf(model, sizeof model, "%s/model%u", tmpdir, bsize);
	sh("rm -rf %s && mkdir -p %s", model, model);
	CHECKEQ(sh("mke2fs -q -F -t ext2 -b %u %s %s > /dev/null 2>&1", bsize, img, imgsize), 0);
	mount_image(img);

	static const uint32_t sizes[] = { 0, 1, 100, 1023, 1024, 1025, 4095, 4096, 4097,
					  12 * 1024, 12 * 1024 + 1, 100000, 268 * 1024 - 1,
					  268 * 1024, 268 * 1024 + 1, 1 << 20, 5 << 20 };
	char p[512], q[1024];
	for (unsigned i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		snprintf(p, sizeof p, "f%u", sizes[i]);
		CHECKEQ(op_write(p, 0, sizes[i], 100 + i), 0);
	}
	CHECKEQ(op_write("big", 0, big, 5), 0);
	/* Sparse: holes read as zeros, pieces up in the indirect levels. */
	CHECKEQ(op_write("sparse", 0, 10, 6), 0);
	CHECKEQ(op_write("sparse", 300 * 1024, 10, 7), 0);
	CHECKEQ(op_write("sparse", 70 << 20, 5000, 8), 0);
	CHECKEQ(op_write("sparse", 300u << 20, 10, 9), 0);
	/* Deep directories. */
	strcpy(p, "deep");
	CHECKEQ(op_mkdir(p), 0);
	for (int i = 0; i < 40; i++) {
		size_t n = strlen(p);
		snprintf(p + n, sizeof p - n, "/d%d", i);
		CHECKEQ(op_mkdir(p), 0);
	}
	snprintf(q, sizeof q, "%s/bottom", p);
	CHECKEQ(op_write(q, 0, 3000, 10), 0);
	/* A directory of many entries, half removed. */
	CHECKEQ(op_mkdir("many"), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(p, sizeof p, "many/a-rather-long-file-name-number-%d", i);
		CHECKEQ(op_write(p, 0, (uint32_t)i * 10, (uint32_t)i), 0);
	}
	for (int i = 0; i < 300; i += 2) {
		snprintf(p, sizeof p, "many/a-rather-long-file-name-number-%d", i);
		CHECKEQ(op_remove(p, false), 0);
	}
	CHECKEQ(op_write("many/after", 0, 10, 1), 0);
	/* Links. */
	CHECKEQ(op_link("f1025", "deep/d0/hardlink"), 0);
	CHECKEQ(op_link("f100", "f100-again"), 0);
	CHECKEQ(op_remove("f100", false), 0);
	CHECKEQ(op_symlink("fast", "f4096"), 0);
	memset(q, 'x', 300);
	q[300] = '\0';
	CHECKEQ(op_symlink("slow", q), 0);
	CHECKEQ(op_symlink("deep/d0/up", "../../f1"), 0);
	CHECKEQ(op_symlink("fast-gone", "f1"), 0);
	CHECKEQ(op_symlink("slow-gone", q), 0);
	CHECKEQ(op_remove("fast-gone", false), 0);
	CHECKEQ(op_remove("slow-gone", false), 0);
	/* Renames: in place, across, over a file, directories too. */
	CHECKEQ(op_rename("f1023", "renamed"), 0);
	CHECKEQ(op_rename("f4097", "deep/d0/moved"), 0);
	CHECKEQ(op_rename("f0", "f1"), 0);
	CHECKEQ(op_mkdir("dir1"), 0);
	CHECKEQ(op_write("dir1/inside", 0, 20, 11), 0);
	CHECKEQ(op_mkdir("dir1/sub"), 0);
	CHECKEQ(op_rename("dir1", "deep/d0/d1/dir1"), 0);
	CHECKEQ(op_mkdir("empty"), 0);
	CHECKEQ(op_rename("deep/d0/d1/dir1/sub", "empty"), 0);
	CHECKEQ(op_rename("deep/d0/d1/dir1", "deep/d0/d1/dir1/x"), -EINVAL);
	CHECKEQ(op_rename("deep", "deep/d0/d1/deep"), -EINVAL);
	CHECKEQ(op_rename("f1", "f1"), 0);
	CHECKEQ(op_rename("f12288", "empty"), -EISDIR);
	/* Removals. */
	CHECKEQ(op_remove("deep/d0", true), -ENOTEMPTY);
	CHECKEQ(op_remove("f1048576", false), 0);
	CHECKEQ(op_remove("f12288", true), -ENOTDIR);
	CHECKEQ(op_remove("deep", false), -EISDIR);
	CHECKEQ(op_mkdir("gone"), 0);
	CHECKEQ(op_remove("gone", true), 0);
	/* Truncations, down through the indirect levels and up again. */
	CHECKEQ(op_truncate("f5242880", 300 * 1024 + 7), 0);
	CHECKEQ(op_truncate("f5242880", 13 * 1024 + 5), 0);
	CHECKEQ(op_truncate("f5242880", 5000), 0);
	CHECKEQ(op_truncate("f5242880", 2 << 20), 0);
	CHECKEQ(op_write("f5242880", 1 << 20, 10, 12), 0);
	CHECKEQ(op_truncate("big", big / 3 + 1), 0);
	CHECKEQ(op_truncate("f100000", 0), 0);
	/* Down from the triple-indirect range (1 KiB blocks) into the middle
	 * of a block of the double-indirect one. */
	CHECKEQ(op_truncate("sparse", (70 << 20) + 100), 0);

	/* Names: the longest works, one more is refused. */
	memset(p, 'n', 255);
	p[255] = '\0';
	CHECKEQ(op_write(p, 0, 5, 13), 0);
	struct vnode *v;
	p[255] = 'n';
	p[256] = '\0';
	CHECKEQ(fs->ops->create(fs->root, p, 256, 0644, &v), -ENAMETOOLONG);
	CHECKEQ(fs->ops->lookup(fs->root, p, 256, &v), -ENAMETOOLONG);

	/* A file open while its last name goes lives until the last put. */
	CHECKEQ(op_write("open", 0, 9000, 14), 0);
	CHECKEQ(walk(fs, "open", &v), 0);
	CHECKEQ(op_remove("open", false), 0);
	uint8_t b9[9000], c9[9000];
	fill(c9, sizeof c9, 14, 0);
	CHECKEQ(fs_read(v, 0, b9, sizeof b9), 9000);
	CHECK(memcmp(b9, c9, sizeof b9) == 0);
	vnode_put(v);

	/* The edge of a file's largest size. */
	CHECKEQ(walk(fs, "f1", &v), 0);
	CHECKEQ(fs_write(v, VFS_FILE_MAX - 10, "0123456789abcdef", 16), 10);
	CHECKEQ(fs_write(v, VFS_FILE_MAX, "x", 1), -EFBIG);
	CHECKEQ(fs->ops->truncate(v, 0), 0);
	vnode_put(v);

	unmount_image();
	CHECKEQ(fsck_clean(img), 0);
	char out[512];
	snprintf(out, sizeof out, "%s/out%u", tmpdir, bsize);
	sh("rm -rf %s && mkdir -p %s", out, out);
	CHECKEQ(sh("debugfs -R 'rdump / %s' %s > /dev/null 2>&1", out, img), 0);
	CHECKEQ(sh("rm -rf %s/lost+found && diff -r --no-dereference %s %s", out, model, out), 0);
	/* And again through this code, after a new mount. */
	mount_image(img);
	compare_tree(fs->root, model, 0);
	unmount_image();
	CHECKEQ(fsck_clean(img), 0);
}

/* ---- features ----------------------------------------------------------- */

/* An unknown read-only-compatible feature mounts read-only; an unknown
 * incompatible one, another revision or block size is refused. */
static void test_features(void)
{
	char img[512];
	snprintf(img, sizeof img, "%s/feat.img", tmpdir);
	CHECKEQ(sh("mke2fs -q -F -t ext2 -b 1024 %s 4M > /dev/null 2>&1", img), 0);
	struct image fi;
	struct fs *f;
	struct vnode *v;
	img_load(&fi, img);
	uint8_t *sb = fi.bytes + 1024;
	uint32_t ro = get32(sb + SB_FEATURE_RO_COMPAT), in = get32(sb + SB_FEATURE_INCOMPAT);
	put32(sb + SB_FEATURE_RO_COMPAT, ro | 0x400);	/* metadata checksums */
	CHECKEQ(ext2_mount(&fi.md.d, false, &f), 0);
	CHECK(f->readonly);
	CHECKEQ(f->ops->create(f->root, "x", 1, 0644, &v), -EROFS);
	CHECKEQ(f->ops->mkdir(f->root, "x", 1, 0755), -EROFS);
	CHECKEQ(ext2_unmount(f), 0);
	put32(sb + SB_FEATURE_RO_COMPAT, ro);
	put32(sb + SB_FEATURE_INCOMPAT, in | 0x40);	/* extents */
	CHECKEQ(ext2_mount(&fi.md.d, false, &f), -EINVAL);
	put32(sb + SB_FEATURE_INCOMPAT, in);
	put32(sb + SB_LOG_BLOCK_SIZE, 1);		/* 2 KiB blocks */
	CHECKEQ(ext2_mount(&fi.md.d, false, &f), -EINVAL);
	put32(sb + SB_LOG_BLOCK_SIZE, 0);
	put32(sb + SB_REV_LEVEL, 0);
	CHECKEQ(ext2_mount(&fi.md.d, false, &f), -EINVAL);
	put32(sb + SB_REV_LEVEL, 1);
	CHECKEQ(ext2_mount(&fi.md.d, false, &f), 0);
	CHECK(!f->readonly);
	CHECKEQ(ext2_unmount(f), 0);
	img_free(&fi);
}

/* ---- full disk, full inode table ---------------------------------------- */

static void test_full(uint32_t bsize)
{
	char img[512];
	snprintf(img, sizeof img, "%s/full%u.img", tmpdir, bsize);
	snprintf(model, sizeof model, "%s/fullmodel%u", tmpdir, bsize);
	sh("rm -rf %s && mkdir -p %s", model, model);
	CHECKEQ(sh("mke2fs -q -F -t ext2 -b %u -N 64 %s 2M > /dev/null 2>&1", bsize, img), 0);
	mount_image(img);
	CHECKEQ(op_write("keep", 0, 50000, 1), 0);
	/* Fill the disk: the write stops short, then fails. */
	struct vnode *v;
	CHECKEQ(fs->ops->create(fs->root, "fill", 4, 0644, &v), 0);
	static uint8_t buf[65536];
	fill(buf, sizeof buf, 2, 0);
	uint32_t off = 0;
	int n;
	while ((n = fs_write(v, off, buf, sizeof buf)) == (int)sizeof buf)
		off += sizeof buf;
	CHECK(n >= 0 && n < (int)sizeof buf);
	off += (uint32_t)(n > 0 ? n : 0);
	CHECKEQ(fs_write(v, off, buf, sizeof buf), -ENOSPC);
	struct vattr a;
	CHECKEQ(fs->ops->getattr(v, &a), 0);
	CHECKEQ(a.size, off);
	vnode_put(v);
	CHECK(fs->ops->mkdir(fs->root, "nospace", 7, 0755) == -ENOSPC);
	CHECKEQ(fs->ops->unlink(fs->root, "fill", 4), 0);
	/* The space is back. */
	CHECKEQ(op_write("after", 0, 100000, 3), 0);
	/* Fill the inode table. */
	int made = 0, err = 0;
	char name[32];
	while (!err && made < 1000) {
		snprintf(name, sizeof name, "i%d", made);
		err = fs->ops->create(fs->root, name, strlen(name), 0644, &v);
		if (!err) {
			vnode_put(v);
			made++;
			char hp[1024];
			snprintf(hp, sizeof hp, "%s/%s", model, name);
			close(open(hp, O_CREAT | O_WRONLY, 0644));
		}
	}
	CHECKEQ(err, -ENOSPC);
	CHECK(made > 30 && made < 64);
	unmount_image();
	CHECKEQ(fsck_clean(img), 0);
	mount_image(img);
	compare_tree(fs->root, model, 0);
	unmount_image();
}

/* ---- many threads ------------------------------------------------------- */

#define THREADS 8
#define ROUNDS 150

struct worker {
	int id;
	uint32_t seed[ROUNDS];	/* file i's contents, 0 if removed */
	uint32_t size[ROUNDS];
	int errors;
};

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct vnode *mine, *shared, *v;
	char name[64], other[64];
	uint32_t r = (uint32_t)w->id * 7919 + 1;
	static uint8_t bufs[THREADS][2][40000];
	uint8_t *buf = bufs[w->id][0], *back = bufs[w->id][1];
	snprintf(name, sizeof name, "t%d", w->id);
	if (fs->ops->mkdir(fs->root, name, strlen(name), 0755) ||
	    walk(fs, name, &mine) || walk(fs, "shared", &shared)) {
		w->errors++;
		return NULL;
	}
	for (int i = 0; i < ROUNDS; i++) {
		uint32_t size = rnd(&r) % 40000, seed = rnd(&r) | 1;
		snprintf(name, sizeof name, "tmp%d", i);
		if (fs->ops->create(mine, name, strlen(name), 0644, &v)) {
			w->errors++;
			continue;
		}
		fill(buf, size, seed, 0);
		if (fs_write(v, 0, buf, size) != (int)size || fs_read(v, 0, back, size) != (int)size ||
		    memcmp(buf, back, size))
			w->errors++;
		vnode_put(v);
		snprintf(other, sizeof other, "f%d", i);
		if (fs->ops->rename(mine, name, strlen(name), mine, other, strlen(other)))
			w->errors++;
		w->seed[i] = seed;
		w->size[i] = size;
		/* Shared work: names clash on purpose; only crashes count. */
		snprintf(name, sizeof name, "s%u", rnd(&r) % 16);
		switch (rnd(&r) % 4) {
		case 0:
			if (fs->ops->create(shared, name, strlen(name), 0644, &v) == 0) {
				fs_write(v, 0, buf, size / 4);
				vnode_put(v);
			}
			break;
		case 1:
			fs->ops->unlink(shared, name, strlen(name));
			break;
		case 2:
			fs->ops->mkdir(shared, name, strlen(name), 0755);
			break;
		default:
			snprintf(other, sizeof other, "s%u", rnd(&r) % 16);
			fs->ops->rename(shared, name, strlen(name), shared, other, strlen(other));
			fs->ops->rmdir(shared, other, strlen(other));
		}
		if (i % 3 == 0 && i > 0) {
			snprintf(name, sizeof name, "f%d", i - 1);
			if (fs->ops->unlink(mine, name, strlen(name)))
				w->errors++;
			w->seed[i - 1] = 0;
		}
		if (i % 10 == 0)
			fs->ops->fsync(mine);
	}
	vnode_put(mine);
	vnode_put(shared);
	return NULL;
}

static void test_threads(uint32_t bsize)
{
	char img[512];
	snprintf(img, sizeof img, "%s/threads%u.img", tmpdir, bsize);
	CHECKEQ(sh("mke2fs -q -F -t ext2 -b %u %s 64M > /dev/null 2>&1", bsize, img), 0);
	mount_image(img);
	CHECKEQ(fs->ops->mkdir(fs->root, "shared", 6, 0755), 0);
	static struct worker w[THREADS];
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof w[i]);
		w[i].id = i;
		pthread_create(&t[i], NULL, work, &w[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		CHECKEQ(w[i].errors, 0);
	}
	unmount_image();
	CHECKEQ(fsck_clean(img), 0);
	mount_image(img);
	static uint8_t buf[40000], want[40000];
	for (int i = 0; i < THREADS; i++)
		for (int k = 0; k < ROUNDS; k++) {
			char p[64];
			struct vnode *v;
			snprintf(p, sizeof p, "t%d/f%d", i, k);
			int err = walk(fs, p, &v);
			CHECKEQ(err, w[i].seed[k] ? 0 : -ENOENT);
			if (err)
				continue;
			fill(want, w[i].size[k], w[i].seed[k], 0);
			CHECKEQ(fs_read(v, 0, buf, sizeof buf), w[i].size[k]);
			CHECK(memcmp(buf, want, w[i].size[k]) == 0);
			vnode_put(v);
		}
	unmount_image();
}

/* The inode dir's entry name names, or 0 if there is none. */
static uint32_t ino_of(struct vnode *dir, const char *name)
{
	struct vnode *v;
	if (fs->ops->lookup(dir, name, strlen(name), &v))
		return 0;
	uint32_t ino = v->ino;
	vnode_put(v);
	return ino;
}

static struct vnode *named_vn(struct vnode *dir, const char *name)
{
	struct vnode *v = NULL;
	CHECKEQ(fs->ops->lookup(dir, name, strlen(name), &v), 0);
	return v;
}

/* The name cache (kernel/fs/ext2/dir.c) answers what the directories
 * say after each kind of change, every name looked up first so that it
 * is cached: a rename in place, a rename over a file, a link and an
 * unlink, a directory moved (its ".."), and a directory removed whose
 * number a new one takes (the old one's ".." must not answer). */
static void test_names(uint32_t bsize)
{
	char img[512];
	snprintf(img, sizeof img, "%s/names%u.img", tmpdir, bsize);
	CHECKEQ(sh("mke2fs -q -F -t ext2 -b %u -N 64 %s 2M > /dev/null 2>&1", bsize, img), 0);
	mount_image(img);
	struct vnode *r = fs->root, *v;
	CHECKEQ(fs->ops->create(r, "a", 1, 0644, &v), 0);
	uint32_t a = v->ino;
	vnode_put(v);
	CHECKEQ(ino_of(r, "a"), a);
	CHECKEQ(fs->ops->rename(r, "a", 1, r, "b", 1), 0);
	CHECKEQ(ino_of(r, "a"), 0);
	CHECKEQ(ino_of(r, "b"), a);
	CHECKEQ(fs->ops->create(r, "c", 1, 0644, &v), 0);
	vnode_put(v);
	CHECK(ino_of(r, "c") != 0);
	CHECKEQ(fs->ops->rename(r, "b", 1, r, "c", 1), 0);
	CHECKEQ(ino_of(r, "c"), a);
	CHECKEQ(ino_of(r, "b"), 0);
	v = named_vn(r, "c");
	CHECKEQ(fs->ops->link(r, "l", 1, v), 0);
	vnode_put(v);
	CHECKEQ(ino_of(r, "l"), a);
	CHECKEQ(fs->ops->unlink(r, "c", 1), 0);
	CHECKEQ(ino_of(r, "c"), 0);
	CHECKEQ(ino_of(r, "l"), a);
	/* A directory moved: its ".." follows. */
	CHECKEQ(fs->ops->mkdir(r, "p", 1, 0755), 0);
	CHECKEQ(fs->ops->mkdir(r, "q", 1, 0755), 0);
	struct vnode *p = named_vn(r, "p"), *q = named_vn(r, "q");
	CHECKEQ(fs->ops->mkdir(p, "d", 1, 0755), 0);
	struct vnode *d = named_vn(p, "d");
	CHECKEQ(ino_of(d, ".."), p->ino);
	CHECKEQ(fs->ops->rename(p, "d", 1, q, "d", 1), 0);
	CHECKEQ(ino_of(d, ".."), q->ino);
	uint32_t dn = d->ino;
	vnode_put(d);
	/* Removed, and its number taken by a new directory under p. */
	CHECKEQ(fs->ops->rmdir(q, "d", 1), 0);
	CHECKEQ(fs->ops->mkdir(p, "e", 1, 0755), 0);
	d = named_vn(p, "e");
	CHECKEQ(d->ino, dn);	/* the lowest free number: the test's premise */
	CHECKEQ(ino_of(d, ".."), p->ino);
	vnode_put(d);
	vnode_put(p);
	vnode_put(q);
	unmount_image();
	CHECKEQ(sh("e2fsck -fn %s > /dev/null 2>&1", img), 0);
}

int main(void)
{
	if (sh("command -v mke2fs debugfs e2fsck > /dev/null")) {
		printf("FAIL: e2fsprogs are not installed (scripts/deps.sh installs them)\n");
		return 1;
	}
	make_tmpdir();
	CHECKEQ(bcache_init(64), 0);
	test_read_mke2fs(1024);
	test_read_mke2fs(4096);
	test_features();
	test_write(1024, 20 << 20, "48M");
	test_write(4096, 64 << 20, "96M");
	test_full(1024);
	test_full(4096);
	test_threads(1024);
	test_threads(4096);
	test_names(1024);
	test_names(4096);
	if (!failures)
		remove_tmpdir();
	else
		printf("images kept in %s\n", tmpdir);
	printf("%s: %d failures\n", __FILE__, failures);
	return failures != 0;
}
