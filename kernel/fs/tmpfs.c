/*
 * tmpfs.c: files, directories and symbolic links in kernel memory (see
 * tmpfs.h).
 *
 * A node is a vnode with what stat reports and its contents: a file's
 * pages (an array of page pointers, NULL for a hole, which reads as
 * zeros), a directory's entries (a list, in creation order), a link's
 * target. The file system holds one reference to every node that has a
 * name (nlink > 0, or the root); a directory also holds one on its
 * parent, so that '..' of a removed directory still leads somewhere. A
 * node whose last reference goes is freed by release, which takes no
 * lock: nothing can reach it any more.
 *
 * One mutex per file system serializes every operation: simple, and
 * fair enough for a scratch file system. It is held across copies from
 * and to user memory (a fault there may sleep, and takes only the
 * address space's lock, never this one).
 *
 * Lock tags (docs/sync.md): [c] constant, [a] atomic, [m] the fs's mutex, lock.
 */
#include "fs/tmpfs.h"
#include "arch/x86/pit.h"
#include "lib/errno.h"
#include "lib/list.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include <fable/page.h>

struct tmpfs {
	struct fs fs;
	struct mutex lock;
	uint32_t next_ino;	/* [m] */
};

struct tnode {
	struct vnode v;			/* first: a vnode is its node */
	uint32_t nlink, mode;		/* [m] */
	uint32_t size;			/* [m] a file's bytes, a link's target's */
	uint32_t atime, mtime, ctime;	/* [m] */
	struct tnode *parent;		/* [m] a directory's (referenced) */
	struct list entries;		/* [m] a directory's, of struct tdirent */
	char **pages;			/* [m] a file's, npages slots */
	uint32_t npages;		/* [m] */
	char *target;			/* [c] a link's */
};

struct tdirent {
	struct list_node link;		/* [m] in the directory's entries */
	struct tnode *node;		/* [m] */
	size_t len;			/* [m] */
	char name[];			/* [m] len bytes and a NUL */
};

static uint32_t nr_pages;	/* [a] data pages of all tmpfs */
static uint32_t nr_nodes;	/* [a] nodes of all tmpfs */
static const char zeros[PAGE_SIZE];

static const struct fs_ops tmpfs_ops;

uint32_t tmpfs_pages(void)
{
	return __atomic_load_n(&nr_pages, __ATOMIC_RELAXED);
}

static struct tmpfs *tfs(struct vnode *v)
{
	return (struct tmpfs *)v->fs;
}

static struct tnode *tn(struct vnode *v)
{
	return (struct tnode *)v;
}

static uint32_t now(void)
{
	return pit_ticks() / 100;	/* no clock yet: seconds since boot */
}

/* Take one of count's max places: false if none is left. */
static bool charge(uint32_t *count, uint32_t max)
{
	if (__atomic_add_fetch(count, 1, __ATOMIC_RELAXED) <= max)
		return true;
	__atomic_sub_fetch(count, 1, __ATOMIC_RELAXED);
	return false;
}

static void uncharge(uint32_t *count)
{
	__atomic_sub_fetch(count, 1, __ATOMIC_RELAXED);
}

/* A new node of type t, with the reference that its name will hold. */
static struct tnode *node_new(struct tmpfs *fs, enum vtype t, uint32_t mode)
{
	if (!charge(&nr_nodes, TMPFS_NODES_MAX))
		return NULL;
	struct tnode *n = kzalloc(sizeof *n);
	if (!n) {
		uncharge(&nr_nodes);
		return NULL;
	}
	n->v.fs = &fs->fs;
	n->v.ino = fs->next_ino++;
	n->v.type = t;
	n->v.refs = 1;
	mutex_init(&n->v.lock, "tmpfs node");
	n->mode = mode & 07777;
	n->nlink = t == VN_DIR ? 2 : 1;
	n->atime = n->mtime = n->ctime = now();
	return n;
}

/* Free pages [from, npages) of file n. */
static void free_pages_from(struct tnode *n, uint32_t from)
{
	for (uint32_t i = from; i < n->npages; i++) {
		if (n->pages[i]) {
			kfree(n->pages[i]);
			n->pages[i] = NULL;
			uncharge(&nr_pages);
		}
	}
}

/*
 * The last reference to v went. A removed directory's parent may go with
 * it, and that one's parent, up a chain as long as TMPFS_NODES_MAX: they
 * are freed in a loop here, not by vnode_put calling back (which would
 * take a kernel stack frame per level).
 */
/*
 * The last reference to v went. A removed directory's parent may go with
 * it, and that one's parent, up a chain as long as TMPFS_NODES_MAX: they
 * are freed in a loop here, not by vnode_put calling back (which would
 * take a kernel stack frame per level).
 */
static void tmpfs_release(struct vnode *v)
{
	for (struct tnode *n = tn(v), *parent; n; n = parent) {
		parent = n->parent;
		free_pages_from(n, 0);
		kfree(n->pages);
		kfree(n->target);
		kfree(n);
		uncharge(&nr_nodes);
		if (parent && __atomic_sub_fetch(&parent->v.refs, 1, __ATOMIC_ACQ_REL) != 0)
			parent = NULL;
	}
}

/* The entry (name, len) of directory d, or NULL. Caller holds the lock. */
static struct tdirent *find(struct tnode *d, const char *name, size_t len)
{
	list_for_each(struct tdirent, e, &d->entries, link)
		if (e->len == len && memcmp(e->name, name, len) == 0)
			return e;
	return NULL;
}

/* Add (name, len) -> n to directory d. Caller holds the lock. */
static int add_entry(struct tnode *d, const char *name, size_t len, struct tnode *n)
{
	struct tdirent *e = kmalloc(sizeof *e + len + 1);
	if (!e)
		return -ENOSPC;
	e->node = n;
	e->len = len;
	memcpy(e->name, name, len);
	e->name[len] = 0;
	list_push_back(&d->entries, &e->link);
	d->mtime = d->ctime = now();
	return 0;
}

/* Remove entry e of d; the node loses a link, and its name's reference
 * with the last. Caller holds the lock. */
static void drop_entry(struct tnode *d, struct tdirent *e)
{
	struct tnode *n = e->node;
	list_remove(&d->entries, &e->link);
	kfree(e);
	d->mtime = d->ctime = now();
	n->ctime = now();
	if (n->v.type == VN_DIR) {
		d->nlink--;
		n->nlink = 0;	/* a removed directory takes no new entries */
	} else {
		n->nlink--;
	}
	if (n->nlink == 0)
		vnode_put(&n->v);
}

static int tmpfs_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct tmpfs *fs = tfs(dir);
	struct tnode *d = tn(dir);
	int err = 0;
	mutex_lock(&fs->lock);
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*out = vnode_get(d->parent ? &d->parent->v : dir);
	} else {
		struct tdirent *e = find(d, name, len);
		if (e)
			*out = vnode_get(&e->node->v);
		else
			err = -ENOENT;
	}
	mutex_unlock(&fs->lock);
	return err;
}

/* Make a node of type t named (name, len) in dir; *out gets a reference
 * if out is not NULL. */
static int make(struct vnode *dir, const char *name, size_t len, enum vtype t, uint32_t mode,
		const char *target, size_t tlen, struct vnode **out)
{
	struct tmpfs *fs = tfs(dir);
	struct tnode *d = tn(dir);
	int err = 0;
	mutex_lock(&fs->lock);
	if (d->nlink == 0) {
		err = -ENOENT;	/* removed */
		goto out;
	}
	if (find(d, name, len)) {
		err = -EEXIST;
		goto out;
	}
	struct tnode *n = node_new(fs, t, mode);
	if (!n) {
		err = -ENOSPC;
		goto out;
	}
	if (t == VN_SYMLINK) {
		n->target = kmalloc(tlen);
		if (n->target)
			memcpy(n->target, target, tlen);
		n->size = tlen;
	}
	err = t == VN_SYMLINK && !n->target ? -ENOSPC : add_entry(d, name, len, n);
	if (err < 0) {
		vnode_put(&n->v);
		goto out;
	}
	if (t == VN_DIR) {
		n->parent = tn(vnode_get(dir));
		d->nlink++;
	}
	if (out)
		*out = vnode_get(&n->v);
out:
	mutex_unlock(&fs->lock);
	return err;
}

static int tmpfs_create_file(struct vnode *dir, const char *name, size_t len, uint32_t mode,
			struct vnode **out)
{
	return make(dir, name, len, VN_FILE, mode, NULL, 0, out);
}

static int tmpfs_mkdir(struct vnode *dir, const char *name, size_t len, uint32_t mode)
{
	return make(dir, name, len, VN_DIR, mode, NULL, 0, NULL);
}

static int tmpfs_symlink(struct vnode *dir, const char *name, size_t len, const char *target,
			 size_t tlen)
{
	return make(dir, name, len, VN_SYMLINK, 0777, target, tlen, NULL);
}

/* Remove (name, len) from dir: a directory (and only an empty one) if
 * want_dir, else anything but a directory. */
static int remove(struct vnode *dir, const char *name, size_t len, bool want_dir)
{
	struct tmpfs *fs = tfs(dir);
	int err = 0;
	mutex_lock(&fs->lock);
	struct tdirent *e = find(tn(dir), name, len);
	if (!e)
		err = -ENOENT;
	else if (want_dir && e->node->v.type != VN_DIR)
		err = -ENOTDIR;
	else if (!want_dir && e->node->v.type == VN_DIR)
		err = -EISDIR;
	else if (want_dir && !list_empty(&e->node->entries))
		err = -ENOTEMPTY;
	else
		drop_entry(tn(dir), e);
	mutex_unlock(&fs->lock);
	return err;
}

static int tmpfs_unlink(struct vnode *dir, const char *name, size_t len)
{
	return remove(dir, name, len, false);
}

static int tmpfs_rmdir(struct vnode *dir, const char *name, size_t len)
{
	return remove(dir, name, len, true);
}

/* Is a the directory d or one of its ancestors? Caller holds the lock. */
static bool is_ancestor(struct tnode *a, struct tnode *d)
{
	for (; d; d = d->parent)
		if (d == a)
			return true;
	return false;
}

/* May node n replace entry e of the rename's target? */
static int replaceable(struct tnode *n, struct tdirent *e)
{
	if (!e || e->node == n)
		return 0;
	if (n->v.type == VN_DIR && e->node->v.type != VN_DIR)
		return -ENOTDIR;
	if (n->v.type != VN_DIR && e->node->v.type == VN_DIR)
		return -EISDIR;
	if (e->node->v.type == VN_DIR && !list_empty(&e->node->entries))
		return -ENOTEMPTY;
	return 0;
}

static int tmpfs_rename(struct vnode *odir, const char *oname, size_t olen,
			struct vnode *ndir, const char *nname, size_t nlen)
{
	struct tmpfs *fs = tfs(odir);
	struct tnode *od = tn(odir), *nd = tn(ndir);
	int err = 0;
	mutex_lock(&fs->lock);
	struct tdirent *e = find(od, oname, olen), *t = find(nd, nname, nlen);
	struct tnode *n = e ? e->node : NULL;
	if (!e)
		err = -ENOENT;
	else if (nd->nlink == 0)
		err = -ENOENT;
	else if (n->v.type == VN_DIR && is_ancestor(n, nd))
		err = -EINVAL;	/* into itself */
	else
		err = replaceable(n, t);
	if (err < 0 || (t && t->node == n))
		goto out;
	/* Add the new name first: it is the step that can fail. */
	n->nlink++;
	err = add_entry(nd, nname, nlen, n);
	if (err < 0) {
		n->nlink--;
		goto out;
	}
	if (t)
		drop_entry(nd, t);
	list_remove(&od->entries, &e->link);
	kfree(e);
	n->nlink--;
	od->mtime = od->ctime = now();
	if (n->v.type == VN_DIR && od != nd) {
		od->nlink--;
		nd->nlink++;
		n->parent = tn(vnode_get(ndir));
		vnode_put(odir);	/* the old parent loses n's reference; the caller still holds one */
	}
out:
	mutex_unlock(&fs->lock);
	return err;
}

static int tmpfs_link(struct vnode *dir, const char *name, size_t len, struct vnode *target)
{
	struct tmpfs *fs = tfs(dir);
	struct tnode *n = tn(target);
	int err = 0;
	if (target->type == VN_DIR)
		return -EPERM;
	mutex_lock(&fs->lock);
	if (tn(dir)->nlink == 0 || n->nlink == 0)
		err = -ENOENT;
	else if (find(tn(dir), name, len))
		err = -EEXIST;
	else
		err = add_entry(tn(dir), name, len, n);
	if (err == 0) {
		n->nlink++;
		n->ctime = now();
	}
	mutex_unlock(&fs->lock);
	return err;
}

static int tmpfs_readlink(struct vnode *v, struct uio *u)
{
	struct tnode *n = tn(v);
	if (v->type != VN_SYMLINK)
		return -EINVAL;
	uint32_t len = n->size < u->len ? n->size : u->len;
	int err = uio_move(u, n->target, len, true);	/* constant: no lock */
	return err < 0 ? err : (int)len;
}

static int tmpfs_read(struct vnode *v, uint32_t off, struct uio *u)
{
	struct tnode *n = tn(v);
	int done = 0, err = 0;
	mutex_lock(&tfs(v)->lock);
	while (u->len > 0 && off < n->size) {
		uint32_t page = off / PAGE_SIZE, in = off % PAGE_SIZE;
		uint32_t len = PAGE_SIZE - in;
		if (len > u->len)
			len = u->len;
		if (len > n->size - off)
			len = n->size - off;
		const char *src = page < n->npages && n->pages[page] ? n->pages[page] : zeros;
		err = uio_move(u, (char *)src + in, len, true);
		if (err < 0)
			break;
		off += len;
		done += len;
	}
	n->atime = now();
	mutex_unlock(&tfs(v)->lock);
	return done ? done : err;
}

/* Make n's page array hold at least count slots. Caller holds the lock. */
static int grow_slots(struct tnode *n, uint32_t count)
{
	if (count <= n->npages)
		return 0;
	uint32_t slots = n->npages ? n->npages : 4;
	while (slots < count)
		slots *= 2;
	char **p = kzalloc(slots * sizeof *p);
	if (!p)
		return -ENOSPC;
	if (n->npages)
		memcpy(p, n->pages, n->npages * sizeof *p);
	kfree(n->pages);
	n->pages = p;
	n->npages = slots;
	return 0;
}

/* The page holding byte off of n, made if needed. */
static char *page_for(struct tnode *n, uint32_t off)
{
	uint32_t page = off / PAGE_SIZE;
	if (grow_slots(n, page + 1) < 0)
		return NULL;
	if (!n->pages[page]) {
		if (!charge(&nr_pages, TMPFS_PAGES_MAX))
			return NULL;
		n->pages[page] = kzalloc(PAGE_SIZE);
		if (!n->pages[page])
			uncharge(&nr_pages);
	}
	return n->pages[page];
}

static int tmpfs_write(struct vnode *v, uint32_t off, struct uio *u)
{
	struct tnode *n = tn(v);
	int done = 0, err = 0;
	if (off >= TMPFS_FILE_MAX || u->len > TMPFS_FILE_MAX - off)
		return -EFBIG;
	mutex_lock(&tfs(v)->lock);
	while (u->len > 0) {
		uint32_t in = off % PAGE_SIZE, len = PAGE_SIZE - in;
		if (len > u->len)
			len = u->len;
		char *page = page_for(n, off);
		if (!page) {
			err = -ENOSPC;
			break;
		}
		err = uio_move(u, page + in, len, false);
		if (err < 0)
			break;
		off += len;
		done += len;
		if (off > n->size)
			n->size = off;
	}
	if (done)
		n->mtime = n->ctime = now();
	mutex_unlock(&tfs(v)->lock);
	return done ? done : err;
}

static int tmpfs_truncate(struct vnode *v, uint32_t size)
{
	struct tnode *n = tn(v);
	if (v->type != VN_FILE)
		return -EISDIR;
	if (size > TMPFS_FILE_MAX)
		return -EFBIG;
	mutex_lock(&tfs(v)->lock);
	if (size < n->size) {
		uint32_t keep = (size + PAGE_SIZE - 1) / PAGE_SIZE;
		free_pages_from(n, keep);
		/* A later extension must read zeros past size. */
		if (size % PAGE_SIZE && keep - 1 < n->npages && n->pages[keep - 1])
			memset(n->pages[keep - 1] + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
	}
	n->size = size;
	n->mtime = n->ctime = now();
	mutex_unlock(&tfs(v)->lock);
	return 0;
}

static int tmpfs_getattr(struct vnode *v, struct vattr *a)
{
	struct tnode *n = tn(v);
	mutex_lock(&tfs(v)->lock);
	uint32_t pages = 0;
	for (uint32_t i = 0; i < n->npages; i++)
		pages += n->pages[i] != NULL;
	*a = (struct vattr){
		.ino = v->ino, .mode = n->mode, .nlink = n->nlink, .size = n->size,
		.blocks = pages * (PAGE_SIZE / 512), .atime = n->atime, .mtime = n->mtime,
		.ctime = n->ctime, .type = v->type,
	};
	mutex_unlock(&tfs(v)->lock);
	return 0;
}

static int tmpfs_readdir(struct vnode *v, uint32_t *cookie, struct vdirent *d)
{
	int found = 0;
	uint32_t i = 0;
	mutex_lock(&tfs(v)->lock);
	list_for_each(struct tdirent, e, &tn(v)->entries, link) {
		if (i++ < *cookie)
			continue;
		d->ino = e->node->v.ino;
		d->type = e->node->v.type;
		d->len = e->len;
		memcpy(d->name, e->name, e->len + 1);
		(*cookie)++;
		found = 1;
		break;
	}
	mutex_unlock(&tfs(v)->lock);
	return found;
}

static int tmpfs_fsync(struct vnode *v)
{
	(void)v;
	return 0;	/* memory is as durable as it gets here */
}

static int tmpfs_sync(struct fs *fs)
{
	(void)fs;
	return 0;
}

static const struct fs_ops tmpfs_ops = {
	.lookup = tmpfs_lookup,
	.create = tmpfs_create_file,
	.mkdir = tmpfs_mkdir,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.link = tmpfs_link,
	.symlink = tmpfs_symlink,
	.readlink = tmpfs_readlink,
	.read = tmpfs_read,
	.write = tmpfs_write,
	.truncate = tmpfs_truncate,
	.getattr = tmpfs_getattr,
	.readdir = tmpfs_readdir,
	.fsync = tmpfs_fsync,
	.sync = tmpfs_sync,
	.release = tmpfs_release,
};

struct fs *tmpfs_create(void)
{
	struct tmpfs *fs = kzalloc(sizeof *fs);
	if (!fs)
		return NULL;
	fs->fs.ops = &tmpfs_ops;
	mutex_init(&fs->lock, "tmpfs");
	fs->next_ino = 1;
	struct tnode *root = node_new(fs, VN_DIR, 01777);
	if (!root) {
		kfree(fs);
		return NULL;
	}
	fs->fs.root = &root->v;
	return &fs->fs;
}
