/*
 * program.c: exec's and readfile's files outside the RAM disk (see
 * program.h).
 */
#include "fs/program.h"
#include "fs/file.h"
#include "lib/errno.h"
#include "lib/sha256.h"
#include "lib/string.h"
#include "mm/kmalloc.h"

#define BIN "/bin/"

/* The regular file exec or readfile means by name, referenced, and its
 * size. */
static int program_open(const char *name, struct vnode **out, uint32_t *size)
{
	char *path = NULL;
	if (!strchr(name, '/')) {
		size_t n = strlen(name);
		if (n == 0 || n > VFS_NAME_MAX)
			return -ENOENT;
		path = kmalloc(sizeof BIN + n);
		if (!path)
			return -ENOMEM;
		memcpy(path, BIN, sizeof BIN - 1);
		memcpy(path + sizeof BIN - 1, name, n + 1);
	}
	struct vnode *v;
	int err = fs_lookup(path ? path : name, &v);
	kfree(path);
	if (err < 0)
		return err;
	struct vattr a;
	err = v->type != VN_FILE ? -EISDIR : v->fs->ops->getattr(v, &a);
	if (err < 0) {
		vnode_put(v);
		return err;
	}
	*out = v;
	*size = a.size;
	return 0;
}

/* The SHA-256 of v's size bytes at buf, which were read while v's write
 * counts were written0 and writing0 before (vfs.h): v's cached digest if
 * no write began or ended since it was taken, else hashed, and cached if
 * no write overlapped this read. */
static void program_digest(struct vnode *v, const uint8_t *buf, uint32_t size,
			   uint32_t written0, uint32_t writing0, uint8_t out[SHA256_BYTES])
{
	bool quiet = writing0 == 0 &&
		     __atomic_load_n(&v->writing, __ATOMIC_SEQ_CST) == 0 &&
		     __atomic_load_n(&v->written, __ATOMIC_SEQ_CST) == written0;
	mutex_lock(&v->lock);
	bool cached = quiet && v->hashed && v->hash_gen == written0;
	if (cached)
		memcpy(out, v->digest, SHA256_BYTES);
	mutex_unlock(&v->lock);
	if (cached)
		return;
	sha256(buf, size, out);
	if (!quiet)
		return;
	mutex_lock(&v->lock);
	memcpy(v->digest, out, SHA256_BYTES);
	v->hash_gen = written0;
	v->hashed = true;
	mutex_unlock(&v->lock);
}

int program_read(const char *name, uint8_t **data, uint32_t *size, uint8_t *digest)
{
	struct vnode *v;
	int err = program_open(name, &v, size);
	if (err < 0)
		return err;
	uint32_t written0 = __atomic_load_n(&v->written, __ATOMIC_SEQ_CST);
	uint32_t writing0 = __atomic_load_n(&v->writing, __ATOMIC_SEQ_CST);
	uint8_t *buf = NULL;
	if (*size > PROGRAM_MAX)
		err = -E2BIG;
	else if (!(buf = kmalloc(*size ? *size : 1)))
		err = -ENOMEM;
	if (err == 0) {
		struct uio u = { (char *)buf, *size, false };
		int n = v->fs->ops->read(v, 0, &u);
		err = n < 0 ? n : (uint32_t)n != *size ? -EIO : 0;
	}
	if (err == 0 && digest)
		program_digest(v, buf, *size, written0, writing0, digest);
	vnode_put(v);
	if (err < 0) {
		kfree(buf);
		return err;
	}
	*data = buf;
	return 0;
}

int program_pread(const char *name, uint32_t off, struct uio *u)
{
	struct vnode *v;
	uint32_t size;
	int err = program_open(name, &v, &size);
	if (err < 0)
		return err;
	err = off > size ? -EINVAL : v->fs->ops->read(v, off, u);
	vnode_put(v);
	return err;
}
