/*
 * fs_util.h: what the ext2 unit tests share: shell commands, images
 * loaded into memory (a struct memdisk) and saved back for the host's
 * e2fsprogs, paths walked through the vnode operations, file contents
 * made from a seed, and a check that a vnode tree equals a host tree.
 * Include after fs_native.h and the file-system sources.
 */
#ifndef FS_UTIL_H
#define FS_UTIL_H

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)
#define CHECKEQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { failures++; \
	printf("%s:%d: CHECK failed: %s == %s (%lld, %lld)\n", __FILE__, __LINE__, \
	       #a, #b, a_, b_); } } while (0)

static char tmpdir[64];	/* in memory (/dev/shm) if the host has it */

/* Runs a shell command made like printf: its exit status. */
static inline int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

static inline void make_tmpdir(void)
{
	struct stat st;
	strcpy(tmpdir, stat("/dev/shm", &st) == 0 ? "/dev/shm/fable-ext2-XXXXXX" :
						    "/tmp/fable-ext2-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(1);
	}
}

static inline void remove_tmpdir(void)
{
	sh("rm -rf %s", tmpdir);
}

struct image {
	struct memdisk md;
	uint8_t *bytes;
	size_t size;
	char path[1024];
};

static inline void img_load(struct image *im, const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		exit(1);
	}
	fseek(fp, 0, SEEK_END);
	im->size = (size_t)ftell(fp);
	fseek(fp, 0, SEEK_SET);
	im->bytes = malloc(im->size);
	if (!im->bytes || fread(im->bytes, 1, im->size, fp) != im->size) {
		perror("read image");
		exit(1);
	}
	fclose(fp);
	snprintf(im->path, sizeof im->path, "%s", path);
	memdisk_init(&im->md, im->bytes, im->size);
}

static inline void img_save(struct image *im)
{
	FILE *fp = fopen(im->path, "wb");
	if (!fp || fwrite(im->bytes, 1, im->size, fp) != im->size) {
		perror("write image");
		exit(1);
	}
	fclose(fp);
}

static inline void img_free(struct image *im)
{
	free(im->bytes);
	im->bytes = NULL;
}

/* The byte at offset off of the file made from seed. */
static inline uint8_t pattern(uint32_t seed, uint64_t off)
{
	uint64_t x = (off / 8 + 1) * 0x9E3779B97F4A7C15ull ^ (seed * 0xBF58476D1CE4E5B9ull);
	x ^= x >> 29;
	x *= 0x94D049BB133111EBull;
	x ^= x >> 32;
	return (uint8_t)(x >> (off % 8 * 8));
}

static inline void fill(uint8_t *p, size_t n, uint32_t seed, uint64_t off)
{
	for (size_t i = 0; i < n; i++)
		p[i] = pattern(seed, off + i);
}

/* The vnode at path (relative to the root, '/'-separated, symbolic
 * links not followed), referenced: 0 or the error. */
static inline int walk(struct fs *fs, const char *path, struct vnode **out)
{
	struct vnode *v = vnode_get(fs->root);
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *s = strtok(buf, "/"); s; s = strtok(NULL, "/")) {
		struct vnode *next;
		int err = fs->ops->lookup(v, s, strlen(s), &next);
		vnode_put(v);
		if (err)
			return err;
		v = next;
	}
	*out = v;
	return 0;
}

/* The directory of path, referenced, and path's last name. */
static inline int parent_of(struct fs *fs, const char *path, struct vnode **dir, const char **name)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	char *slash = strrchr(buf, '/');
	*name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (!slash)
		return walk(fs, "", dir);
	*slash = '\0';
	return walk(fs, buf, dir);
}

static inline int fs_read(struct vnode *v, uint32_t off, void *p, uint32_t n)
{
	struct uio u = { p, n, false };
	return v->fs->ops->read(v, off, &u);
}

static inline int fs_write(struct vnode *v, uint32_t off, const void *p, uint32_t n)
{
	struct uio u = { (char *)p, n, false };
	return v->fs->ops->write(v, off, &u);
}

/* Compares the vnode v with host file or directory hp, recursively:
 * names, types, sizes, contents, link targets. lost+found is skipped. */
static inline void compare_tree(struct vnode *v, const char *hp, int depth)
{
	struct stat st;
	if (lstat(hp, &st)) {
		printf("compare: %s missing on the host\n", hp);
		failures++;
		return;
	}
	struct vattr a;
	CHECK(v->fs->ops->getattr(v, &a) == 0);
	if (S_ISREG(st.st_mode)) {
		CHECK(v->type == VN_FILE);
		CHECKEQ(a.size, st.st_size);
		CHECKEQ(a.nlink, st.st_nlink);
		FILE *fp = fopen(hp, "rb");
		static uint8_t hb[1 << 16], fb[1 << 16];
		uint32_t off = 0, n;
		while (fp && (n = (uint32_t)fread(hb, 1, sizeof hb - off % 7, fp)) > 0) {
			int got = fs_read(v, off, fb, n);
			if (got != (int)n || memcmp(hb, fb, n)) {
				printf("compare: %s differs at %u (read %d of %u)\n", hp, off, got, n);
				failures++;
				break;
			}
			off += n;
		}
		if (fp)
			fclose(fp);
		CHECKEQ(fs_read(v, off, fb, 10), 0);
	} else if (S_ISLNK(st.st_mode)) {
		char t[4096], f[4096];
		ssize_t n = readlink(hp, t, sizeof t);
		struct uio u = { f, sizeof f, false };
		CHECK(v->type == VN_SYMLINK);
		int got = v->fs->ops->readlink(v, &u);
		CHECKEQ(got, n);
		CHECK(got == n && memcmp(t, f, (size_t)n) == 0);
	} else if (S_ISDIR(st.st_mode)) {
		CHECK(v->type == VN_DIR);
		/* Every entry of the vnode exists on the host, and as many. */
		uint32_t cookie = 0, count = 0, hcount = 0;
		struct vdirent d;
		int r;
		while ((r = v->fs->ops->readdir(v, &cookie, &d)) == 1) {
			if (depth == 0 && strcmp(d.name, "lost+found") == 0)
				continue;
			char sub[4096];
			snprintf(sub, sizeof sub, "%s/%s", hp, d.name);
			struct vnode *c;
			int err = v->fs->ops->lookup(v, d.name, d.len, &c);
			CHECKEQ(err, 0);
			if (err)
				continue;
			CHECKEQ(c->ino, d.ino);
			CHECKEQ(c->type, d.type);
			compare_tree(c, sub, depth + 1);
			vnode_put(c);
			count++;
		}
		CHECKEQ(r, 0);
		DIR *dp = opendir(hp);
		struct dirent *de;
		while (dp && (de = readdir(dp)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
			    !(depth == 0 && strcmp(de->d_name, "lost+found") == 0))
				hcount++;
		if (dp)
			closedir(dp);
		if (count != hcount)
			printf("compare: %s has %u entries, the host %u\n", hp, count, hcount);
		CHECKEQ(count, hcount);
	}
}

/* e2fsck -fn on the image: 0 if it finds it clean. */
static inline int fsck_clean(const char *img)
{
	int st = sh("e2fsck -fn %s > %s/fsck.log 2>&1", img, tmpdir);
	if (st != 0) {
		printf("e2fsck -fn %s: exit %d\n", img, st);
		sh("cat %s/fsck.log", tmpdir);
	}
	return st;
}

#endif
