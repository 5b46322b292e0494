/*
 * vfs.c: vnode references, uio transfers, the mount table and the path
 * walk (fs/vfs.h, fs/path.h, docs/files.md).
 *
 * Lock tags (docs/sync.md): [b] boot (mounts are made before any task
 * runs and never change after).
 */
#include "fs/path.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"

struct mount {
	struct fs *fs;
	struct vnode *dir;		/* NULL for the root file system */
	char name[VFS_NAME_MAX + 1];	/* its name in dir */
	char path[FS_MOUNT_PATH];	/* for df */
	const char *type;
};

static struct mount mounts[VFS_MOUNTS];	/* [b] */
static int nmounts;			/* [b] mounts[0] is the root */

struct vnode *vnode_get(struct vnode *v)
{
	__atomic_add_fetch(&v->refs, 1, __ATOMIC_RELAXED);
	return v;
}

void vnode_put(struct vnode *v)
{
	if (__atomic_sub_fetch(&v->refs, 1, __ATOMIC_ACQ_REL) == 0 && v->fs->ops->release)
		v->fs->ops->release(v);
}

/* A write counts as in progress from before its first byte changes until
 * after its last, and as ended (written) before it stops counting as in
 * progress: a reader that sees writing == 0 and the same written before
 * and after reading the file read bytes no write touched meanwhile. */
void vnode_write_begin(struct vnode *v)
{
	__atomic_add_fetch(&v->writing, 1, __ATOMIC_SEQ_CST);
}

void vnode_write_end(struct vnode *v)
{
	__atomic_add_fetch(&v->written, 1, __ATOMIC_SEQ_CST);
	__atomic_sub_fetch(&v->writing, 1, __ATOMIC_SEQ_CST);
}

int uio_move(struct uio *u, void *kbuf, uint32_t n, bool to_uio)
{
	if (n > u->len)
		return -EINVAL;
	int err = 0;
	if (!u->user)
		memcpy(to_uio ? (void *)u->base : kbuf, to_uio ? kbuf : u->base, n);
	else if (to_uio)
		err = copy_to_user((uintptr_t)u->base, kbuf, n);
	else
		err = copy_from_user(kbuf, (uintptr_t)u->base, n);
	if (err < 0)
		return err;
	u->base += n;
	u->len -= n;
	return 0;
}

/* ---- the mount table ---------------------------------------------------- */

void vfs_mount_root(struct fs *fs, const char *type)
{
	mounts[0] = (struct mount){ .fs = fs, .type = type };
	strlcpy(mounts[0].path, "/", sizeof mounts[0].path);
	if (nmounts == 0)
		nmounts = 1;
}

int vfs_push_root(struct fs *fs, const char *type, const char *name)
{
	if (nmounts == 0 || nmounts == VFS_MOUNTS)
		return -EBUSY;
	struct vnode *old = mounts[0].fs->root;
	/* The mounts in the old root's directory move with the name space. */
	for (int i = 1; i < nmounts; i++) {
		if (mounts[i].dir == old) {
			vnode_put(mounts[i].dir);
			mounts[i].dir = vnode_get(fs->root);
		}
	}
	struct mount *m = &mounts[nmounts++];
	*m = (struct mount){ .fs = old->fs, .dir = vnode_get(fs->root), .type = mounts[0].type };
	strlcpy(m->name, name, sizeof m->name);
	strlcpy(m->path, "/", sizeof m->path);
	strlcpy(m->path + 1, name, sizeof m->path - 1);
	mounts[0] = (struct mount){ .fs = fs, .type = type };
	strlcpy(mounts[0].path, "/", sizeof mounts[0].path);
	return 0;
}

struct vnode *vfs_root(void)
{
	return vnode_get(mounts[0].fs->root);
}

static bool same_vnode(const struct vnode *a, const struct vnode *b)
{
	return a->fs == b->fs && a->ino == b->ino;
}

/* The mount named (name, len) in dir, or NULL. */
static struct mount *mount_at(struct vnode *dir, const char *name, size_t len)
{
	for (int i = 1; i < nmounts; i++) {
		struct mount *m = &mounts[i];
		if (same_vnode(m->dir, dir) && strlen(m->name) == len &&
		    memcmp(m->name, name, len) == 0)
			return m;
	}
	return NULL;
}

bool vfs_is_mount(struct vnode *dir, const char *name, size_t len)
{
	return mount_at(dir, name, len) != NULL;
}

int vfs_mount(const char *dirpath, const char *name, struct fs *fs, const char *type)
{
	size_t len = strlen(name);
	if (nmounts == 0 || nmounts == VFS_MOUNTS)
		return -EBUSY;
	if (len == 0 || len > VFS_NAME_MAX || strchr(name, '/'))
		return -EINVAL;
	struct vnode *root = vfs_root(), *dir;
	int err = vfs_namei(root, dirpath, true, &dir, NULL);
	vnode_put(root);
	if (err < 0)
		return err;
	err = dir->type != VN_DIR ? -ENOTDIR : mount_at(dir, name, len) ? -EBUSY : 0;
	if (err < 0) {
		vnode_put(dir);
		return err;
	}
	struct mount *m = &mounts[nmounts++];
	*m = (struct mount){ .fs = fs, .dir = dir, .type = type };	/* keeps dir's reference */
	strlcpy(m->name, name, sizeof m->name);
	size_t plen = strlcpy(m->path, dirpath, sizeof m->path);
	if (plen && m->path[plen - 1] != '/')
		strlcpy(m->path + plen, "/", sizeof m->path - plen);
	strlcpy(m->path + strlen(m->path), name, sizeof m->path - strlen(m->path));
	return 0;
}

uint32_t vfs_dev(const struct fs *fs)
{
	for (int i = 0; i < nmounts; i++)
		if (mounts[i].fs == fs)
			return i + 1;
	return 0;
}

bool vfs_mount_info(int i, struct fable_mount *out)
{
	if (i < 0 || i >= nmounts)
		return false;
	memset(out, 0, sizeof *out);
	strlcpy(out->path, mounts[i].path, sizeof out->path);
	strlcpy(out->type, mounts[i].type, sizeof out->type);
	out->readonly = mounts[i].fs->readonly;
	out->dev = i + 1;
	return true;
}

int vfs_sync_all(void)
{
	int err = 0;
	for (int i = 0; i < nmounts; i++) {
		int e = mounts[i].fs->ops->sync(mounts[i].fs);
		if (e < 0 && err == 0)
			err = e;
	}
	return err;
}

bool vfs_mount_entry(struct vnode *dir, uint32_t k, struct vdirent *d)
{
	for (int i = 1; i < nmounts; i++) {
		struct mount *m = &mounts[i];
		if (!same_vnode(m->dir, dir))
			continue;
		struct vnode *shadowed;
		size_t len = strlen(m->name);
		if (dir->fs->ops->lookup(dir, m->name, len, &shadowed) == 0) {
			vnode_put(shadowed);	/* the fs lists it already */
			continue;
		}
		if (k-- > 0)
			continue;
		d->ino = m->fs->root->ino;
		d->type = VN_DIR;
		d->len = len;
		memcpy(d->name, m->name, len + 1);
		return true;
	}
	return false;
}

/* ---- the path walk ------------------------------------------------------ */

struct walk {
	int links;	/* symbolic links followed so far */
	char *canon;	/* NULL, or the absolute path of the current vnode */
};

static bool is_dot(const char *name, size_t len)
{
	return len == 1 && name[0] == '.';
}

static bool is_dotdot(const char *name, size_t len)
{
	return len == 2 && name[0] == '.' && name[1] == '.';
}

/* '..' of dir: itself at the root, the directory holding the mount
 * point at a mounted root, else the file system's answer. */
static int step_up(struct vnode *dir, struct vnode **out)
{
	if (dir == mounts[0].fs->root) {
		*out = vnode_get(dir);
		return 0;
	}
	for (int i = 1; i < nmounts; i++) {
		if (mounts[i].fs->root == dir) {
			*out = vnode_get(mounts[i].dir);
			return 0;
		}
	}
	return dir->fs->ops->lookup(dir, "..", 2, out);
}

/* One component: dir (a directory) to *out, referenced. */
static int step(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	if (is_dot(name, len)) {
		*out = vnode_get(dir);
		return 0;
	}
	if (is_dotdot(name, len))
		return step_up(dir, out);
	struct mount *m = mount_at(dir, name, len);
	if (m) {
		*out = vnode_get(m->fs->root);
		return 0;
	}
	return dir->fs->ops->lookup(dir, name, len, out);
}

/* Keep w->canon the path of where the walk is. */
static int canon_step(struct walk *w, const char *name, size_t len)
{
	if (!w->canon || is_dot(name, len))
		return 0;
	char *c = w->canon;
	size_t n = strlen(c);
	if (is_dotdot(name, len)) {
		while (n > 1 && c[n - 1] != '/')
			n--;
		c[n > 1 ? n - 1 : 1] = 0;
		return 0;
	}
	size_t need = n + (n > 1) + len + 1;
	if (need > FS_PATH_MAX)
		return -ENAMETOOLONG;
	if (n > 1)
		c[n++] = '/';
	memcpy(c + n, name, len);
	c[n + len] = 0;
	return 0;
}

static int walk(struct walk *w, struct vnode **cur, const char *path, bool follow_last,
		const char **lastname, size_t *lastlen);

/* Replace *cur (the directory holding link) by where link leads. */
static int follow(struct walk *w, struct vnode **cur, struct vnode *link)
{
	if (++w->links > VFS_SYMLINK_MAX)
		return -ELOOP;
	char *target = kmalloc(FS_PATH_MAX);
	if (!target)
		return -ENOMEM;
	struct uio u = { target, FS_PATH_MAX, false };
	int n = link->fs->ops->readlink(link, &u);
	int err = n;
	if (n >= 0) {
		err = n == 0 ? -ENOENT : n >= FS_PATH_MAX ? -ENAMETOOLONG : 0;
		target[n < FS_PATH_MAX ? n : 0] = 0;
	}
	if (err == 0)
		err = walk(w, cur, target, true, NULL, NULL);
	kfree(target);
	return err;
}

/* The next component of *path: its length, and *path moved past it and
 * the slashes after it. */
static size_t component(const char **path, const char **name, bool *last)
{
	const char *p = *path;
	*name = p;
	while (*p && *p != '/')
		p++;
	size_t len = p - *name;
	while (*p == '/')
		p++;
	*path = p;
	*last = *p == 0;
	return len;
}

/*
 * Walk path from *cur (a referenced vnode, replaced as the walk goes).
 * With lastname, stop before the last component and give it there.
 */
static int walk(struct walk *w, struct vnode **cur, const char *path, bool follow_last,
		const char **lastname, size_t *lastlen)
{
	if (*path == '/') {
		vnode_put(*cur);
		*cur = vfs_root();
		if (w->canon)
			strlcpy(w->canon, "/", FS_PATH_MAX);
		while (*path == '/')
			path++;
	}
	if (lastname)
		*lastname = NULL;
	while (*path) {
		const char *name;
		bool last;
		size_t len = component(&path, &name, &last);
		if (len > VFS_NAME_MAX)
			return -ENAMETOOLONG;
		if ((*cur)->type != VN_DIR)
			return -ENOTDIR;
		if (last && lastname) {
			*lastname = name;
			*lastlen = len;
			return 0;
		}
		struct vnode *next;
		int err = step(*cur, name, len, &next);
		if (err < 0)
			return err;
		if (next->type == VN_SYMLINK && (!last || follow_last)) {
			err = follow(w, cur, next);
			vnode_put(next);
			if (err < 0)
				return err;
			continue;
		}
		vnode_put(*cur);
		*cur = next;
		err = canon_step(w, name, len);
		if (err < 0)
			return err;
	}
	return 0;
}

int vfs_namei(struct vnode *cwd, const char *path, bool follow, struct vnode **out,
	      char *canon)
{
	if (*path == 0)
		return -ENOENT;
	struct walk w = { 0, canon };
	struct vnode *cur = vnode_get(cwd);
	int err = walk(&w, &cur, path, follow, NULL, NULL);
	if (err < 0) {
		vnode_put(cur);
		return err;
	}
	*out = cur;
	return 0;
}

int vfs_namei_parent(struct vnode *cwd, const char *path, struct vnode **dir,
		     const char **name, size_t *len)
{
	if (*path == 0)
		return -ENOENT;
	struct walk w = { 0, NULL };
	struct vnode *cur = vnode_get(cwd);
	int err = walk(&w, &cur, path, true, name, len);
	if (err == 0 && (!*name || is_dot(*name, *len) || is_dotdot(*name, *len)))
		err = -EINVAL;
	if (err == 0 && cur->type != VN_DIR)
		err = -ENOTDIR;
	if (err < 0) {
		vnode_put(cur);
		return err;
	}
	*dir = cur;
	return 0;
}
