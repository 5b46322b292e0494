/*
 * program.c: exec's and readfile's files outside the RAM disk (see
 * program.h).
 */
#include "fs/program.h"
#include "fs/file.h"
#include "lib/errno.h"
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

int program_read(const char *name, uint8_t **data, uint32_t *size)
{
	struct vnode *v;
	int err = program_open(name, &v, size);
	if (err < 0)
		return err;
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
