/*
 * vfs.h: what a file system offers the descriptor layer (docs/files.md).
 *
 * A mounted file system is a struct fs with a table of operations; a
 * file, directory or symbolic link in it is a struct vnode, reference
 * counted, found by lookup from the root. The descriptor layer
 * (fs/file.c) resolves paths one component at a time with lookup and
 * calls the other operations on what it finds; it never knows the
 * on-disk format. Every operation may sleep; each returns 0 (or a count)
 * or a negative error of lib/errno.h. Names are not NUL-terminated: a
 * name is (name, len), 1 <= len <= VFS_NAME_MAX, without '/' or NUL, and
 * never "." or ".." (the descriptor layer handles those through the
 * vnode's parent lookups: lookup(dir, "..") is the one exception, and
 * every directory answers it).
 *
 * Lock tags (docs/sync.md): [c] constant, [a] atomic, [m] the vnode's lock.
 */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/sha256.h"
#include "sync/mutex.h"

#define VFS_NAME_MAX	255
#define VFS_FILE_MAX	0x7FFFFFFFu	/* files end below 2 GiB */

enum vtype { VN_FILE = 1, VN_DIR, VN_SYMLINK };

struct fs;

struct vnode {
	struct fs *fs;			/* [c] */
	uint32_t ino;			/* [c] the file system's number for it */
	enum vtype type;		/* [c] */
	uint32_t refs;			/* [a] vnode_get/vnode_put */
	struct mutex lock;		/* serializes the operations on it that
					 * change it (the fs takes it) */
	void *priv;			/* the file system's (its in-memory inode) */
	/* exec's SHA-256 of the contents (fs/program.c, docs/secure-boot.md):
	 * good while no write or truncate has begun or ended since. */
	uint32_t writing;		/* [a] writes and truncates in progress */
	uint32_t written;		/* [a] writes and truncates ended */
	bool hashed;			/* [m] digest is that of contents... */
	uint32_t hash_gen;		/* [m] ...when written was this */
	uint8_t digest[SHA256_BYTES];	/* [m] */
};

/* Attributes, for stat. Times are seconds since 1970 (UTC). */
struct vattr {
	uint32_t ino, mode, nlink, size, blocks;	/* blocks of 512 bytes */
	uint32_t atime, mtime, ctime;
	enum vtype type;
};

/* A directory entry, for readdir. */
struct vdirent {
	uint32_t ino;
	enum vtype type;
	uint32_t len;
	char name[VFS_NAME_MAX + 1];	/* NUL-terminated */
};

/* A transfer's other side: user memory (copied with the fault-fixup
 * copies of mm/usercopy.h) or kernel memory. uio_move copies n bytes
 * between kbuf and the next part of the uio and advances it. */
struct uio {
	char *base;
	uint32_t len;		/* bytes left */
	bool user;
};
int uio_move(struct uio *u, void *kbuf, uint32_t n, bool to_uio);

/* Take and drop a reference (fs/vfs.c); the last put calls release. */
struct vnode *vnode_get(struct vnode *v);
void vnode_put(struct vnode *v);
/* Around every write or truncate: they forget v's cached digest. */
void vnode_write_begin(struct vnode *v);
void vnode_write_end(struct vnode *v);

struct fs_ops {
	int (*lookup)(struct vnode *dir, const char *name, size_t len,
		      struct vnode **out);
	int (*create)(struct vnode *dir, const char *name, size_t len,
		      uint32_t mode, struct vnode **out);
	int (*mkdir)(struct vnode *dir, const char *name, size_t len, uint32_t mode);
	int (*unlink)(struct vnode *dir, const char *name, size_t len);
	int (*rmdir)(struct vnode *dir, const char *name, size_t len);
	int (*rename)(struct vnode *odir, const char *oname, size_t olen,
		      struct vnode *ndir, const char *nname, size_t nlen);
	int (*link)(struct vnode *dir, const char *name, size_t len,
		    struct vnode *target);
	int (*symlink)(struct vnode *dir, const char *name, size_t len,
		       const char *target, size_t tlen);
	int (*readlink)(struct vnode *v, struct uio *u);	/* bytes */
	int (*read)(struct vnode *v, uint32_t off, struct uio *u);	/* bytes */
	int (*write)(struct vnode *v, uint32_t off, struct uio *u);	/* bytes */
	int (*truncate)(struct vnode *v, uint32_t size);
	int (*getattr)(struct vnode *v, struct vattr *a);
	/* The entry at *cookie (0 first); advances *cookie. 1 one entry,
	 * 0 the end, or an error. */
	int (*readdir)(struct vnode *v, uint32_t *cookie, struct vdirent *d);
	int (*fsync)(struct vnode *v);
	int (*sync)(struct fs *fs);
	void (*release)(struct vnode *v);	/* the last reference went */
};

struct fs {
	const struct fs_ops *ops;	/* [c] */
	struct vnode *root;		/* [c] */
	bool readonly;			/* [c] */
	void *priv;			/* [c] the file system's */
};

#endif
