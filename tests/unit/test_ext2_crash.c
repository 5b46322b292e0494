/*
 * test_ext2_crash.c: power cuts. A workload (creates, writes, fsyncs,
 * mkdir, rmdir, unlinks, renames of files, links, symbolic links,
 * truncates, directories renamed within their parent) runs on an ext2
 * image whose free blocks were filled with a marker byte beforehand, on a disk that logs every write. A power cut
 * after write k leaves the image plus the first k writes; for 32 values
 * of k spread over the log, for every k inside a directory rename, and
 * for every k of a phase where three threads at once make and remove
 * files and directories in one directory (1 KiB and 4 KiB blocks), that image must be repaired by
 * `e2fsck -p` without a question (exit 0 or 1, then `e2fsck -fn`
 * clean), every file fsynced before the cut must read back intact, and
 * no file may show the marker (stale data from before: the data blocks
 * reach the disk before the pointers to them).
 */
#include "fs_native.h"
#include "kernel/fs/bcache.c"
#include "kernel/fs/ext2/super.c"
#include "kernel/fs/ext2/inode.c"
#include "kernel/fs/ext2/dir.c"
#include "kernel/fs/ext2/ops.c"
#include "fs_util.h"

#define MARKER 0xEE
#define CUTS 16
#define DENSE_MAX 60	/* cuts at most in the threads' phase (spread) */

struct wentry {
	uint32_t sector, count;
	uint8_t *data;
};

static struct wentry *wlog;
static size_t nlog, caplog;
static int log_write(struct blkdev *d, uint32_t sector, uint32_t count, void *buf);
static pthread_mutex_t loglock = PTHREAD_MUTEX_INITIALIZER;

/* The logging disk: a memdisk whose writes are also recorded, in the
 * order they reach it (threads may write at once). */
static int logdisk_rw(struct blkdev *d, uint32_t sector, uint32_t count, void *buf, bool write)
{
	if (!write)
		return memdisk_rw(d, sector, count, buf, write);
	pthread_mutex_lock(&loglock);
	int err = log_write(d, sector, count, buf);
	pthread_mutex_unlock(&loglock);
	return err;
}

static int log_write(struct blkdev *d, uint32_t sector, uint32_t count, void *buf)
{
	int err = memdisk_rw(d, sector, count, buf, true);
	if (err)
		return err;
	if (nlog == caplog) {
		caplog = caplog ? 2 * caplog : 1024;
		wlog = realloc(wlog, caplog * sizeof *wlog);
	}
	wlog[nlog].sector = sector;
	wlog[nlog].count = count;
	wlog[nlog].data = malloc((size_t)count * SECTOR_SIZE);
	memcpy(wlog[nlog].data, buf, (size_t)count * SECTOR_SIZE);
	nlog++;
	return 0;
}

/* A file fsynced at log position at, never touched after. */
struct synced {
	char path[64];
	uint32_t size, seed;
	size_t at;
};

static struct synced synced[64];
static int nsynced;

static struct fs *fs;

/* Log positions inside directory renames: every one is also a cut. */
static size_t inside[256];
static int ninside;

static void rename_dir(struct vnode *d, const char *from, const char *to)
{
	size_t before = nlog;
	CHECKEQ(fs->ops->rename(d, from, strlen(from), d, to, strlen(to)), 0);
	for (size_t k = before + 1; k < nlog && ninside < 256; k++)
		inside[ninside++] = k;
}

static void put_file(const char *dir, const char *name, uint32_t size, uint32_t seed, bool sync)
{
	struct vnode *d, *v;
	if (walk(fs, dir, &d))
		return;
	if (fs->ops->create(d, name, strlen(name), 0644, &v) == 0) {
		uint8_t *buf = malloc(size + 1);
		fill(buf, size, seed, 0);
		CHECKEQ(fs_write(v, 0, buf, size), size);
		free(buf);
		if (sync && nsynced < 64) {
			CHECKEQ(fs->ops->fsync(v), 0);
			struct synced *s = &synced[nsynced++];
			snprintf(s->path, sizeof s->path, "%s/%s", dir, name);
			s->size = size;
			s->seed = seed;
			s->at = nlog;
		}
		vnode_put(v);
	}
	vnode_put(d);
}

static void workload(void)
{
	const struct fs_ops *o = fs->ops;
	struct vnode *root = fs->root, *d, *v;
	uint32_t r = 99;
	char name[32];
	o->mkdir(root, "keep", 4, 0755);
	o->mkdir(root, "tmp", 3, 0755);
	for (int round = 0; round < 6; round++) {
		for (int i = 0; i < 8; i++) {
			r = r * 1103515245 + 12345;
			snprintf(name, sizeof name, "k%d-%d", round, i);
			put_file("keep", name, (r >> 8) % 300000, r, true);
			snprintf(name, sizeof name, "t%d-%d", round, i);
			put_file("tmp", name, (r >> 4) % 70000, r + 1, false);
		}
		if (walk(fs, "tmp", &d))
			continue;
		for (int i = 0; i < 8; i += 2) {
			char to[32];
			snprintf(name, sizeof name, "t%d-%d", round, i);
			snprintf(to, sizeof to, "r%d-%d", round, i);
			o->rename(d, name, strlen(name), d, to, strlen(to));
			o->link(d, (snprintf(to, sizeof to, "l%d-%d", round, i), to), strlen(to),
				root);
		}
		for (int i = 1; i < 8; i += 2) {
			snprintf(name, sizeof name, "t%d-%d", round, i);
			if (i == 3 && o->lookup(d, name, strlen(name), &v) == 0) {
				o->link(root, name, strlen(name), v);
				o->truncate(v, 1500);
				vnode_put(v);
			} else {
				o->unlink(d, name, strlen(name));
			}
		}
		snprintf(name, sizeof name, "sub%d", round);
		o->mkdir(d, name, strlen(name), 0755);
		if (round % 2) {
			o->rmdir(d, name, strlen(name));
		} else {
			/* A directory renamed within its parent: in place. */
			char to[32];
			snprintf(to, sizeof to, "dir%d", round);
			rename_dir(d, name, to);
		}
		snprintf(name, sizeof name, "ln%d", round);
		o->symlink(d, name, strlen(name), "a-target-long-enough-for-a-block-of-its-own-"
			   "------------------------------------------------", 92);
		/* A file moves between directories. */
		snprintf(name, sizeof name, "r%d-0", round);
		o->rename(d, name, strlen(name), root, name, strlen(name));
		vnode_put(d);
		o->sync(fs);
	}
}

/* The dense phase: threads at once in one directory and their own,
 * with every write of it a cut. */
#define DTHREADS 3
#define DROUNDS 6

static void *dense_worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	const struct fs_ops *o = fs->ops;
	struct vnode *d, *v;
	char name[32], other[32];
	if (walk(fs, "tmp", &d))
		return NULL;
	for (int i = 0; i < DROUNDS; i++) {
		snprintf(name, sizeof name, "dd%d-%d", id, i);
		o->mkdir(d, name, strlen(name), 0755);
		snprintf(name, sizeof name, "df%d-%d", id, i);
		if (o->create(d, name, strlen(name), 0644, &v) == 0) {
			static const char text[2000];
			fs_write(v, 0, text, sizeof text);
			snprintf(other, sizeof other, "dl%d-%d", id, i);
			o->link(d, other, strlen(other), v);
			vnode_put(v);
		}
		snprintf(other, sizeof other, "dr%d-%d", id, i);
		o->rename(d, name, strlen(name), d, other, strlen(other));
		if (i % 2) {
			o->unlink(d, other, strlen(other));
			snprintf(name, sizeof name, "dd%d-%d", id, i);
			o->rmdir(d, name, strlen(name));
		}
	}
	vnode_put(d);
	return NULL;
}

static size_t dense_from, dense_to;

static void dense_phase(void)
{
	pthread_t t[DTHREADS];
	fs->ops->sync(fs);
	dense_from = nlog;
	for (intptr_t i = 0; i < DTHREADS; i++)
		pthread_create(&t[i], NULL, dense_worker, (void *)i);
	for (int i = 0; i < DTHREADS; i++)
		pthread_join(t[i], NULL);
	fs->ops->sync(fs);
	dense_to = nlog;
}

/* Reads every file under v: none may hold 16 marker bytes in a row. */
static void no_marker(struct vnode *v, int depth)
{
	static uint8_t buf[4096];
	if (v->type == VN_FILE) {
		struct vattr a;
		v->fs->ops->getattr(v, &a);
		for (uint32_t off = 0; off < a.size; off += sizeof buf) {
			int n = fs_read(v, off, buf, sizeof buf);
			for (int i = 0, run = 0; i < n; i++) {
				run = buf[i] == MARKER ? run + 1 : 0;
				if (run == 16) {
					printf("stale data in inode %u at %u\n", v->ino, off + i);
					failures++;
					return;
				}
			}
		}
	} else if (v->type == VN_DIR && depth < 4) {
		uint32_t cookie = 0;
		struct vdirent d;
		struct vnode *c;
		while (v->fs->ops->readdir(v, &cookie, &d) == 1)
			if (v->fs->ops->lookup(v, d.name, d.len, &c) == 0) {
				no_marker(c, depth + 1);
				vnode_put(c);
			}
	}
}

/* The image after a cut at log position k (base is before the mount),
 * repaired and checked: in full, or (a cut of the threads' phase) only
 * that e2fsck -p repairs it without a question. */
static void check_cut(const char *dir, uint8_t *img, size_t size, size_t k, bool full)
{
	char path[512];
	snprintf(path, sizeof path, "%s/cut.img", dir);
	FILE *fp = fopen(path, "wb");
	fwrite(img, 1, size, fp);
	fclose(fp);
	int st = sh("e2fsck -p %s > %s/preen.log 2>&1", path, dir);
	if (st > 1) {
		printf("cut after write %zu of %zu: e2fsck -p exit %d\n", k, nlog, st);
		sh("cat %s/preen.log", dir);
		failures++;
		return;
	}
	if (!full)
		return;
	CHECKEQ(fsck_clean(path), 0);
	struct image im;
	struct fs *f;
	img_load(&im, path);
	CHECKEQ(ext2_mount(&im.md.d, true, &f), 0);
	struct fs *saved = fs;
	fs = f;
	for (int i = 0; i < nsynced; i++) {
		if (synced[i].at > k)
			continue;
		struct vnode *v;
		int err = walk(f, synced[i].path, &v);
		if (err) {
			printf("cut after write %zu: fsynced %s is gone (%d)\n", k, synced[i].path, err);
			failures++;
			continue;
		}
		uint8_t *want = malloc(synced[i].size + 1), *got = malloc(synced[i].size + 1);
		fill(want, synced[i].size, synced[i].seed, 0);
		CHECKEQ(fs_read(v, 0, got, synced[i].size + 1), synced[i].size);
		CHECK(memcmp(want, got, synced[i].size) == 0);
		free(want);
		free(got);
		vnode_put(v);
	}
	no_marker(f->root, 0);
	fs = saved;
	CHECKEQ(ext2_unmount(f), 0);
	img_free(&im);
}

static void run(uint32_t bsize)
{
	char img[512];
	snprintf(img, sizeof img, "%s/crash%u.img", tmpdir, bsize);
	CHECKEQ(sh("head -c 16M /dev/zero | tr '\\0' '\\356' > %s && "
		   "mke2fs -q -F -t ext2 -b %u %s > /dev/null 2>&1", img, bsize, img), 0);
	struct image im;
	img_load(&im, img);
	uint8_t *base = malloc(im.size);
	memcpy(base, im.bytes, im.size);
	im.md.d.rw = logdisk_rw;
	nlog = 0;
	nsynced = 0;
	ninside = 0;
	CHECKEQ(ext2_mount(&im.md.d, false, &fs), 0);
	workload();
	dense_phase();
	CHECKEQ(ext2_unmount(fs), 0);
	printf("%u-byte blocks: %zu writes, %d files fsynced, %d cuts inside directory renames, "
	       "%zu in the threads' phase\n", bsize, nlog, nsynced, ninside, dense_to - dense_from);
	/* Cuts spread over the log, the last after everything, and cuts
	 * inside every directory rename. */
	size_t cuts[CUTS + 256 + DENSE_MAX], ncuts = 0, done = 0;
	size_t stride = (dense_to - dense_from) / DENSE_MAX + 1;
	for (size_t k = dense_from + 1; k < dense_to; k += stride)
		cuts[ncuts++] = k;
	for (int c = 1; c <= CUTS; c++)
		cuts[ncuts++] = nlog * (size_t)c / CUTS - (c < CUTS ? (size_t)c * 7 % 5 : 0);
	for (int i = 0; i < ninside; i++)
		cuts[ncuts++] = inside[i];
	for (size_t i = 1; i < ncuts; i++)	/* in order: the log is applied forwards */
		for (size_t j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
			size_t t = cuts[j];
			cuts[j] = cuts[j - 1];
			cuts[j - 1] = t;
		}
	for (size_t c = 0; c < ncuts; c++) {
		size_t k = cuts[c];
		for (; done < k; done++) {
			struct wentry *w = &wlog[done];
			memcpy(base + (size_t)w->sector * SECTOR_SIZE, w->data,
			       (size_t)w->count * SECTOR_SIZE);
		}
		check_cut(tmpdir, base, im.size, k, k <= dense_from || k >= dense_to);
	}
	for (size_t i = 0; i < nlog; i++)
		free(wlog[i].data);
	free(base);
	img_free(&im);
}

int main(void)
{
	if (sh("command -v mke2fs e2fsck > /dev/null")) {
		printf("FAIL: e2fsprogs are not installed (scripts/deps.sh installs them)\n");
		return 1;
	}
	make_tmpdir();
	CHECKEQ(bcache_init(48), 0);
	run(1024);
	run(4096);
	free(wlog);
	if (!failures)
		remove_tmpdir();
	else
		printf("images kept in %s\n", tmpdir);
	printf("%s: %d failures\n", __FILE__, failures);
	return failures != 0;
}
