/*
 * ramfs.c: the RAM disk as a file system (see ramfs.h).
 *
 * The disk never changes, so every vnode is made once, at mount, and
 * lives for ever: vnode 0 is the directory (ino 1), vnode i + 1 the file
 * ramdisk_files[i] (ino i + 2). The file system holds a reference to
 * each, so release is never called. Nothing here takes a lock: nothing
 * here changes after ramfs_create.
 *
 * Lock tags (docs/sync.md): [c] constant.
 */
#include "fs/ramfs.h"
#include "dev/ramdisk.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"

static struct vnode *vnodes;	/* [c] ramdisk_nfiles + 1 of them */

static const struct rd_file *file_of(struct vnode *v)
{
	return &ramdisk_files[v->ino - 2];
}

/* The listing '.' is the disk's, not a file of the directory. */
static bool listed(uint32_t i)
{
	return strcmp(ramdisk_files[i].name, ".") != 0;
}

static int ramfs_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*out = vnode_get(dir);	/* the one directory is its own parent */
		return 0;
	}
	char key[VFS_NAME_MAX + 1];
	memcpy(key, name, len);
	key[len] = 0;
	const struct rd_file *f = ramdisk_find(key);
	if (!f || !listed(f - ramdisk_files))
		return -ENOENT;
	*out = vnode_get(&vnodes[f - ramdisk_files + 1]);
	return 0;
}

static int ramfs_read(struct vnode *v, uint32_t off, struct uio *u)
{
	const struct rd_file *f = file_of(v);
	if (off >= f->size)
		return 0;
	uint32_t n = f->size - off < u->len ? f->size - off : u->len;
	char buf[RAMDISK_BOUNCE];	/* the bytes are not kernel memory */
	for (uint32_t done = 0; done < n; ) {
		uint32_t k = n - done < sizeof buf ? n - done : sizeof buf;
		ramdisk_copy(f, off + done, k, buf);
		int err = uio_move(u, buf, k, true);
		if (err < 0)
			return err;
		done += k;
	}
	return n;
}

static int ramfs_getattr(struct vnode *v, struct vattr *a)
{
	memset(a, 0, sizeof *a);
	a->ino = v->ino;
	a->type = v->type;
	a->nlink = 1;
	if (v->type == VN_DIR) {
		a->mode = 0555;
		a->nlink = 2;
		return 0;
	}
	a->mode = 0555;
	a->size = file_of(v)->size;
	a->blocks = (a->size + 511) / 512;
	return 0;
}

static int ramfs_readdir(struct vnode *v, uint32_t *cookie, struct vdirent *d)
{
	(void)v;
	while (*cookie < ramdisk_nfiles && !listed(*cookie))
		(*cookie)++;
	if (*cookie >= ramdisk_nfiles)
		return 0;
	const struct rd_file *f = &ramdisk_files[(*cookie)++];
	d->ino = f - ramdisk_files + 2;
	d->type = VN_FILE;
	d->len = strlcpy(d->name, f->name, sizeof d->name);
	return 1;
}

/* Every change is refused: the disk is part of the kernel image. */
static int rofs_create(struct vnode *dir, const char *name, size_t len, uint32_t mode,
		       struct vnode **out)
{
	(void)dir, (void)name, (void)len, (void)mode, (void)out;
	return -EROFS;
}

static int rofs_mkdir(struct vnode *dir, const char *name, size_t len, uint32_t mode)
{
	(void)dir, (void)name, (void)len, (void)mode;
	return -EROFS;
}

static int rofs_remove(struct vnode *dir, const char *name, size_t len)
{
	(void)dir, (void)name, (void)len;
	return -EROFS;
}

static int rofs_rename(struct vnode *odir, const char *oname, size_t olen,
		       struct vnode *ndir, const char *nname, size_t nlen)
{
	(void)odir, (void)oname, (void)olen, (void)ndir, (void)nname, (void)nlen;
	return -EROFS;
}

static int rofs_link(struct vnode *dir, const char *name, size_t len, struct vnode *target)
{
	(void)dir, (void)name, (void)len, (void)target;
	return -EROFS;
}

static int rofs_symlink(struct vnode *dir, const char *name, size_t len,
			const char *target, size_t tlen)
{
	(void)dir, (void)name, (void)len, (void)target, (void)tlen;
	return -EROFS;
}

static int rofs_readlink(struct vnode *v, struct uio *u)
{
	(void)v, (void)u;
	return -EINVAL;	/* no symbolic links here */
}

static int rofs_write(struct vnode *v, uint32_t off, struct uio *u)
{
	(void)v, (void)off, (void)u;
	return -EROFS;
}

static int rofs_truncate(struct vnode *v, uint32_t size)
{
	(void)v, (void)size;
	return -EROFS;
}

static int ramfs_fsync(struct vnode *v)
{
	(void)v;
	return 0;	/* nothing is ever dirty */
}

static int ramfs_sync(struct fs *fs)
{
	(void)fs;
	return 0;
}

static const struct fs_ops ramfs_ops = {
	.lookup = ramfs_lookup,
	.create = rofs_create,
	.mkdir = rofs_mkdir,
	.unlink = rofs_remove,
	.rmdir = rofs_remove,
	.rename = rofs_rename,
	.link = rofs_link,
	.symlink = rofs_symlink,
	.readlink = rofs_readlink,
	.read = ramfs_read,
	.write = rofs_write,
	.truncate = rofs_truncate,
	.getattr = ramfs_getattr,
	.readdir = ramfs_readdir,
	.fsync = ramfs_fsync,
	.sync = ramfs_sync,
	.release = NULL,	/* every vnode lives as long as the kernel */
};

static struct fs ramfs = { .ops = &ramfs_ops, .readonly = true };

struct fs *ramfs_create(void)
{
	vnodes = kzalloc((ramdisk_nfiles + 1) * sizeof *vnodes);
	if (!vnodes)
		return NULL;
	for (uint32_t i = 0; i <= ramdisk_nfiles; i++) {
		struct vnode *v = &vnodes[i];
		v->fs = &ramfs;
		v->ino = i + 1;
		v->type = i == 0 ? VN_DIR : VN_FILE;
		v->refs = 1;	/* the file system's own */
		mutex_init(&v->lock, "ramfs vnode");
	}
	ramfs.root = &vnodes[0];
	return &ramfs;
}
