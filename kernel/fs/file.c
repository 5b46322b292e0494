/*
 * file.c: open files, descriptor tables and the file-system calls on
 * them (see file.h, docs/files.md).
 *
 * A table is shared by the tasks a fork made from one, counted in refs,
 * and a shared table never changes. Each task reads its table under its
 * own lock (task->lock), which keeps task->files from changing under it.
 * A change (table_own) first copies a shared table for the changing task
 * alone. Once refs is 1 nobody else can see the table (the others let go
 * of it, and only its own task's fork, under the lock, shares it again),
 * so the task's lock guards the slots from then on. A task's only thread
 * reads its table without the lock (task_alone(), proc/thread.h): no
 * other thread can change it until that one makes another.
 *
 * Locks: the task's lock is held only to read or change its table, with
 * at most the heap's lock inside: never across a transfer or a close, so
 * that a thread blocked in a pipe holds up no other thread's open or
 * close, nor its task's exit. Then a file's lock, held across a
 * transfer, then whatever the file system or the pipe takes.
 *
 * Lock tags (docs/sync.md): [a] atomic.
 */
#include "fs/file.h"
#include "fs/path.h"
#include "fs/pipe.h"
#include "fs/ramfs.h"
#include "fs/tmpfs.h"
#include "dev/console.h"
#include "dev/input.h"
#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "proc/thread.h"
#include "upcall.h"

#define CONSOLE_CHUNK 256	/* bytes of a console write moved at once */
#define CONSOLE_LINE_MAX 4096	/* a console read's most: readline's cap */

static uint32_t nr_files;	/* [a] */

/* Descriptors 0, 1 and 2 of the first task. Never freed: the kernel
 * holds a reference of its own. */
static struct file console_file = {
	.refs = 1, .kind = FILE_CONSOLE, .flags = O_RDWR,
	.lock = MUTEX_INIT(console_file.lock, "console file"),
};

uint32_t file_count(void)
{
	return __atomic_load_n(&nr_files, __ATOMIC_RELAXED);
}

static struct file *file_new(enum file_kind kind, int flags)
{
	struct file *f = kzalloc(sizeof *f);
	if (!f)
		return NULL;
	f->refs = 1;
	f->kind = kind;
	f->flags = flags;
	mutex_init(&f->lock, "file");
	__atomic_add_fetch(&nr_files, 1, __ATOMIC_RELAXED);
	return f;
}

static struct file *file_ref(struct file *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
	return f;
}

/* The last reference went: close f. */
static void file_close(struct file *f)
{
	assert(f != &console_file);
	if (f->kind == FILE_VNODE)
		vnode_put(f->vn);
	else if (f->kind == FILE_PIPE)
		pipe_close(f->pipe, (f->flags & O_ACCMODE) == O_WRONLY);
	else if (f->kind == FILE_SOCK)
		sock_close(f->sock);
	kfree(f);
	__atomic_sub_fetch(&nr_files, 1, __ATOMIC_RELAXED);
}

static inline void put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) == 0)
		file_close(f);
}

void file_put(struct file *f)
{
	put(f);
}

/* ---- tables --------------------------------------------------------------- */

/* A table of one task, with no descriptor open, in directory dir. */
static struct fdtable *table_new(struct vnode *dir, const char *path)
{
	struct fdtable *t = kzalloc(sizeof *t);
	char *p = kmalloc(strlen(path) + 1);
	if (!t || !p) {
		kfree(t);
		kfree(p);
		return NULL;
	}
	memcpy(p, path, strlen(path) + 1);
	t->refs = 1;
	t->cwdpath = p;
	t->cwd = vnode_get(dir);
	return t;
}

/* A task lets go of t; the last one closes its descriptors. */
static void table_put(struct fdtable *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (int fd = 0; fd < FS_FD_MAX; fd++)
		if (t->fd[fd])
			file_put(t->fd[fd]);
	vnode_put(t->cwd);
	kfree(t->cwdpath);
	kfree(t);
}

/* The calling task's table, with the task's lock held: to be read, or
 * made the task's own by table_own() to be changed. */
static struct fdtable *table_lock(void)
{
	struct task *k = curtask();
	mutex_lock(&k->lock);
	return k->files;
}

/* Let go of the task's lock, then of the shared table that table_own()
 * replaced, if any: its last put closes files, which takes their locks. */
static void table_unlock(struct fdtable *shared)
{
	mutex_unlock(&curtask()->lock);
	if (shared)
		table_put(shared);
}

/*
 * The calling task's table, which it alone has, to be changed; NULL if a
 * shared one cannot be copied (no memory). The caller holds the task's
 * lock, and passes *shared (the table the copy replaced, or NULL) to
 * table_unlock(). The acquire pairs with the release of the others'
 * table_put(): what they read of the table is read before we change it.
 */
static struct fdtable *table_own(struct fdtable **shared)
{
	struct task *k = curtask();
	struct fdtable *t = k->files;
	*shared = NULL;
	if (__atomic_load_n(&t->refs, __ATOMIC_ACQUIRE) == 1)
		return t;
	struct fdtable *c = table_new(t->cwd, t->cwdpath);
	if (!c)
		return NULL;
	for (int fd = 0; fd < FS_FD_MAX; fd++)
		c->fd[fd] = t->fd[fd] ? file_ref(t->fd[fd]) : NULL;
	k->files = c;
	*shared = t;
	return c;
}

/* file_get of task k, the caller's (alone: task_alone(k)), inline in
 * fs_transfer. */
static inline __attribute__((always_inline))
struct file *get_in(struct task *k, bool alone, int fd)
{
	if (fd < 0 || fd >= FS_FD_MAX)
		return NULL;
	if (alone) {	/* nobody else changes the table meanwhile */
		struct file *f = k->files->fd[fd];
		return f ? file_ref(f) : NULL;
	}
	mutex_lock(&k->lock);
	struct file *f = k->files->fd[fd];
	if (f)
		file_ref(f);
	mutex_unlock(&k->lock);
	return f;
}

struct file *file_get(int fd)
{
	if (fd < 0 || fd >= FS_FD_MAX)
		return NULL;
	struct task *k = mytask();	/* table_lock() inline: every call */
	bool alone = task_alone(k);
	return get_in(k, alone, fd);
}

/* Put f (whose reference it takes) in the lowest free slot: the
 * descriptor, or -EMFILE or -ENOMEM (f is then dropped). */
static int fd_install(struct file *f)
{
	struct fdtable *shared;
	table_lock();
	struct fdtable *t = table_own(&shared);
	int fd = t ? 0 : -ENOMEM;
	while (t && fd < FS_FD_MAX && t->fd[fd])
		fd++;
	if (fd == FS_FD_MAX)
		fd = -EMFILE;
	if (fd >= 0)
		t->fd[fd] = f;
	table_unlock(shared);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* The current directory, referenced. */
static struct vnode *cwd(void)
{
	struct fdtable *t = table_lock();
	struct vnode *v = vnode_get(t->cwd);
	table_unlock(NULL);
	return v;
}

/* ---- tasks: the upcalls of fork and exit (upcall.h) -------------------- */

/* The child shares the parent's table: one atomic add, no copy. */
int files_fork(struct task *parent, struct task *child)
{
	if (!parent) {	/* the first task: the console, at the root */
		struct vnode *root = vfs_root();
		child->files = table_new(root, "/");
		vnode_put(root);
		if (!child->files)
			return -ENOMEM;
		for (int fd = 0; fd < 3; fd++)
			child->files->fd[fd] = file_ref(&console_file);
		return 0;
	}
	mutex_lock(&parent->lock);	/* against a table_own() */
	struct fdtable *t = parent->files;
	__atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
	mutex_unlock(&parent->lock);
	child->files = t;
	return 0;
}

/* The task's last thread: no other reads k->files now. */
void files_exit(struct task *k)
{
	struct fdtable *t = k->files;
	k->files = NULL;
	if (t)
		table_put(t);
}

/* ---- transfers ---------------------------------------------------------- */

static bool can_read(struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool can_write(struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

/* The console reads a line at a time, as readline does. */
static int console_read(struct uio *u)
{
	uint32_t n = u->len < CONSOLE_LINE_MAX ? u->len : CONSOLE_LINE_MAX;
	char *buf = kmalloc(n ? n : 1);
	if (!buf)
		return -ENOMEM;
	int got = input_readline(buf, n);
	int err = got > 0 ? uio_move(u, buf, got, false) : 0;
	kfree(buf);
	return err < 0 ? err : got;
}

static int console_out(struct uio *u)
{
	char buf[CONSOLE_CHUNK];
	int done = 0;
	while (u->len > 0) {
		uint32_t n = u->len < sizeof buf ? u->len : sizeof buf;
		int err = uio_move(u, buf, n, false);
		if (err < 0)
			return done ? done : err;
		console_write(buf, n);
		done += n;
	}
	return done;
}

/* file_read and file_write, inline in fs_transfer. */
static inline __attribute__((always_inline)) int do_read(struct file *f, struct uio *u)
{
	if (!can_read(f))
		return -EBADF;
	if (f->kind == FILE_PIPE)
		return pipe_read(f->pipe, u, false);
	if (f->kind == FILE_CONSOLE)
		return console_read(u);
	if (f->kind == FILE_SOCK)
		return sock_read(f->sock, u);
	if (f->vn->type == VN_DIR)
		return -EISDIR;
	mutex_lock(&f->lock);
	int n = f->vn->fs->ops->read(f->vn, f->off, u);
	if (n > 0)
		f->off += n;
	mutex_unlock(&f->lock);
	return n;
}

static inline __attribute__((always_inline)) int do_write(struct file *f, struct uio *u)
{
	if (!can_write(f))
		return -EBADF;
	if (f->kind == FILE_PIPE)
		return pipe_write(f->pipe, u);
	if (f->kind == FILE_CONSOLE)
		return console_out(u);
	if (f->kind == FILE_SOCK)
		return sock_write(f->sock, u);
	mutex_lock(&f->lock);
	int n = 0;
	if (f->flags & O_APPEND) {
		struct vattr a;
		n = f->vn->fs->ops->getattr(f->vn, &a);
		f->off = a.size;
	}
	if (n == 0) {
		vnode_write_begin(f->vn);
		n = f->vn->fs->ops->write(f->vn, f->off, u);
		vnode_write_end(f->vn);
	}
	if (n > 0)
		f->off += n;
	mutex_unlock(&f->lock);
	return n;
}

int file_read(struct file *f, struct uio *u)
{
	return do_read(f, u);
}

int file_write(struct file *f, struct uio *u)
{
	return do_write(f, u);
}

/* The hot path of every read and write: one call from sys_fs. The
 * buffer is checked first, as a whole, so that nothing moves if any of
 * it is out of bounds; the check and the descriptor's lookup share the
 * one test of whether the task has other threads. */
int fs_transfer(int fd, uint32_t ubuf, int count, bool to_file)
{
	if (count < 0)
		return -EINVAL;
	struct task *k = mytask();
	bool alone = task_alone(k);
	int prot = to_file ? VM_READ : VM_WRITE;
	if (alone ? !vm_range_ok_alone(k->vm, ubuf, count, prot)
		  : !vm_range_ok(k->vm, ubuf, count, prot))
		return -EFAULT;
	struct uio u = { (char *)ubuf, (uint32_t)count, true };
	struct file *f = get_in(k, alone, fd);
	if (!f)
		return -EBADF;
	int n = to_file ? do_write(f, &u) : do_read(f, &u);
	put(f);
	return n;
}

/* pread and pwrite: at off, neither using nor moving the file's offset,
 * so without the open file's lock; O_APPEND does not apply. Only a file
 * has offsets: a pipe or the console is -ESPIPE, a directory -EISDIR. */
int fs_ptransfer(int fd, struct uio *u, int32_t off, bool to_file)
{
	struct file *f = file_get(fd);
	if (!f)
		return -EBADF;
	int n;
	if (!(to_file ? can_write(f) : can_read(f)))
		n = -EBADF;
	else if (f->kind != FILE_VNODE)
		n = -ESPIPE;
	else if (f->vn->type == VN_DIR)
		n = -EISDIR;
	else if (off < 0)
		n = -EINVAL;
	else if (to_file) {
		vnode_write_begin(f->vn);	/* a program's kept hash is stale */
		n = f->vn->fs->ops->write(f->vn, (uint32_t)off, u);
		vnode_write_end(f->vn);
	}
	else
		n = f->vn->fs->ops->read(f->vn, (uint32_t)off, u);
	put(f);
	return n;
}

/* readline on a file: read what fits, keep up to the first '\n', and
 * move the offset past only that. */
static int vnode_readline(struct file *f, struct uio *u)
{
	char *buf = kmalloc(u->len);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&f->lock);
	struct uio k = { buf, u->len, false };
	int n = f->vn->fs->ops->read(f->vn, f->off, &k);
	if (n > 0) {
		for (int i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				n = i + 1;
				break;
			}
		}
		int err = uio_move(u, buf, n, true);
		if (err < 0)
			n = err;
		else
			f->off += n;
	}
	mutex_unlock(&f->lock);
	kfree(buf);
	return n;
}

int file_readline(struct file *f, struct uio *u)
{
	if (!can_read(f))
		return -EBADF;
	if (f->kind == FILE_PIPE)
		return pipe_read(f->pipe, u, true);
	if (f->kind == FILE_CONSOLE)
		return console_read(u);
	if (f->kind == FILE_SOCK)
		return -EINVAL;		/* a stream has no lines to keep */
	if (f->vn->type == VN_DIR)
		return -EISDIR;
	return vnode_readline(f, u);
}

/* ---- sockets ------------------------------------------------------------ */

int fs_sock_install(struct sock *s)
{
	struct file *f = file_new(FILE_SOCK, O_RDWR);
	if (!f) {
		sock_close(s);
		return -ENOMEM;
	}
	f->sock = s;
	return fd_install(f);
}

struct sock *file_sock(struct file *f)
{
	return f->kind == FILE_SOCK ? f->sock : NULL;
}

/* ---- opening ------------------------------------------------------------ */

#define OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_DIRECTORY)

/* Create path as an empty file; -EEXIST if it is there. */
static int create(struct vnode *dir0, const char *path, uint32_t mode, struct vnode **out)
{
	struct vnode *dir;
	const char *name;
	size_t len;
	int err = vfs_namei_parent(dir0, path, &dir, &name, &len);
	if (err < 0)
		return err;
	if (vfs_is_mount(dir, name, len))
		err = -EEXIST;
	else if (dir->fs->readonly)
		err = -EROFS;
	else
		err = dir->fs->ops->create(dir, name, len, mode, out);
	vnode_put(dir);
	return err;
}

/* The vnode open(path, flags) is about, referenced. */
static int open_vnode(const char *path, int flags, uint32_t mode, struct vnode **out)
{
	struct vnode *dir = cwd();
	int err = vfs_namei(dir, path, true, out, NULL);
	if (err == 0 && (flags & O_CREAT) && (flags & O_EXCL)) {
		vnode_put(*out);
		err = -EEXIST;
	} else if (err == -ENOENT && (flags & O_CREAT)) {
		err = create(dir, path, mode, out);
		if (err == -EEXIST && !(flags & O_EXCL))	/* made meanwhile */
			err = vfs_namei(dir, path, true, out, NULL);
	}
	vnode_put(dir);
	return err;
}

/* May v be opened with flags? */
static int open_check(struct vnode *v, int flags)
{
	bool writing = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	if ((flags & O_DIRECTORY) && v->type != VN_DIR)
		return -ENOTDIR;
	if (writing && v->type == VN_DIR)
		return -EISDIR;
	if (writing && v->fs->readonly)
		return -EROFS;
	return 0;
}

int fs_open(const char *path, int flags, uint32_t mode)
{
	if ((flags & ~OPEN_FLAGS) || (flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	struct vnode *v;
	int err = open_vnode(path, flags, mode, &v);
	if (err < 0)
		return err;
	err = open_check(v, flags);
	if (err == 0 && (flags & O_TRUNC)) {
		vnode_write_begin(v);
		err = v->fs->ops->truncate(v, 0);
		vnode_write_end(v);
	}
	struct file *f = err == 0 ? file_new(FILE_VNODE, flags & (O_ACCMODE | O_APPEND)) : NULL;
	if (!f) {
		vnode_put(v);
		return err < 0 ? err : -ENOMEM;
	}
	f->vn = v;
	return fd_install(f);
}

int fs_close(int fd)
{
	if (fd < 0 || fd >= FS_FD_MAX)
		return -EBADF;
	struct file *f = NULL;
	struct fdtable *t = table_lock(), *shared = NULL;
	if (t->fd[fd])	/* a shared table is copied only for a real close */
		t = table_own(&shared);
	if (t) {
		f = t->fd[fd];
		t->fd[fd] = NULL;
	}
	table_unlock(shared);
	if (!t)
		return -ENOMEM;
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

int fs_dup2(int fd, int newfd)
{
	if (newfd < 0 || newfd >= FS_FD_MAX)
		return -EBADF;
	struct file *f = file_get(fd), *old = NULL;
	if (!f)
		return -EBADF;
	struct fdtable *shared;
	table_lock();
	struct fdtable *t = table_own(&shared);
	if (t) {
		old = t->fd[newfd];
		t->fd[newfd] = f;	/* takes our reference */
	}
	table_unlock(shared);
	if (!t) {
		file_put(f);
		return -ENOMEM;
	}
	if (old)
		file_put(old);
	return newfd;
}

int fs_pipe(int fds[2])
{
	struct pipe *p = pipe_new();
	if (!p)
		return -ENOMEM;
	struct file *r = file_new(FILE_PIPE, O_RDONLY);
	struct file *w = file_new(FILE_PIPE, O_WRONLY);
	if (r)
		r->pipe = p;
	if (w)
		w->pipe = p;
	if (!r || !w) {
		/* Each end goes with its file, or by hand if it has none. */
		if (r)
			file_put(r);
		else
			pipe_close(p, false);
		if (w)
			file_put(w);
		else
			pipe_close(p, true);
		return -ENOMEM;
	}
	fds[0] = fd_install(r);
	if (fds[0] < 0) {
		file_put(w);
		return fds[0];
	}
	fds[1] = fd_install(w);
	if (fds[1] < 0) {
		fs_close(fds[0]);
		return fds[1];
	}
	return 0;
}

/* ---- what descriptors name ---------------------------------------------- */

int fs_lseek(int fd, int32_t off, int whence)
{
	struct file *f = file_get(fd);
	if (!f)
		return -EBADF;
	int err = f->kind != FILE_VNODE ? -ESPIPE : 0;
	int64_t base = 0;
	mutex_lock(&f->lock);
	if (err == 0 && whence == SEEK_CUR) {
		base = f->off;
	} else if (err == 0 && whence == SEEK_END) {
		struct vattr a;
		err = f->vn->fs->ops->getattr(f->vn, &a);
		base = a.size;
	} else if (err == 0 && whence != SEEK_SET) {
		err = -EINVAL;
	}
	int64_t to = base + off;
	if (err == 0 && (to < 0 || to > VFS_FILE_MAX))
		err = -EINVAL;
	if (err == 0) {
		f->off = to;
		if (f->vn->type == VN_DIR && to == 0) {	/* rewind a listing */
			f->dir_done = false;
			f->mounts_seen = 0;
		}
	}
	mutex_unlock(&f->lock);
	file_put(f);
	return err < 0 ? err : (int)to;
}

static void stat_of(struct vnode *v, const struct vattr *a, struct fable_stat *st)
{
	*st = (struct fable_stat){
		.dev = vfs_dev(v->fs), .ino = a->ino, .type = a->type, .mode = a->mode,
		.nlink = a->nlink, .size = a->size, .blocks = a->blocks,
		.atime = a->atime, .mtime = a->mtime, .ctime = a->ctime,
	};
}

static int vnode_stat(struct vnode *v, struct fable_stat *st)
{
	struct vattr a;
	int err = v->fs->ops->getattr(v, &a);
	if (err == 0)
		stat_of(v, &a, st);
	return err;
}

int fs_fstat(int fd, struct fable_stat *st)
{
	struct file *f = file_get(fd);
	if (!f)
		return -EBADF;
	int err = 0;
	if (f->kind == FILE_VNODE)
		err = vnode_stat(f->vn, st);
	else
		*st = (struct fable_stat){
			.type = f->kind == FILE_PIPE ? FT_PIPE : f->kind == FILE_SOCK ? FT_SOCK :
				FT_CONSOLE, .mode = 0600,
			.nlink = 1, .size = f->kind == FILE_PIPE ? pipe_bytes(f->pipe) : 0,
		};
	file_put(f);
	return err;
}

int fs_stat(const char *path, bool follow, struct fable_stat *st)
{
	struct vnode *dir = cwd(), *v;
	int err = vfs_namei(dir, path, follow, &v, NULL);
	vnode_put(dir);
	if (err < 0)
		return err;
	err = vnode_stat(v, st);
	vnode_put(v);
	return err;
}

int fs_lookup(const char *path, struct vnode **out)
{
	struct vnode *dir = cwd();
	int err = vfs_namei(dir, path, true, out, NULL);
	vnode_put(dir);
	return err;
}

/* The next entry of directory file f; caller holds f->lock. */
static int next_entry(struct file *f, struct vdirent *d)
{
	if (!f->dir_done) {
		int r = f->vn->fs->ops->readdir(f->vn, &f->off, d);
		if (r != 0)
			return r;
		f->dir_done = true;
	}
	if (!vfs_mount_entry(f->vn, f->mounts_seen, d))
		return 0;
	f->mounts_seen++;
	return 1;
}

int fs_readdir(int fd, struct fable_dirent *out)
{
	struct file *f = file_get(fd);
	if (!f)
		return -EBADF;
	int r = -ENOTDIR;
	struct vdirent *d = kmalloc(sizeof *d);
	if (!d)
		r = -ENOMEM;
	else if (f->kind == FILE_VNODE && f->vn->type == VN_DIR) {
		mutex_lock(&f->lock);
		r = next_entry(f, d);
		mutex_unlock(&f->lock);
	}
	if (r == 1) {
		memset(out, 0, sizeof *out);
		out->ino = d->ino;
		out->type = d->type;
		out->namelen = d->len;
		memcpy(out->name, d->name, d->len + 1);
	}
	kfree(d);
	file_put(f);
	return r;
}

int fs_fsync(int fd)
{
	struct file *f = file_get(fd);
	if (!f)
		return -EBADF;
	int err = f->kind == FILE_VNODE ? f->vn->fs->ops->fsync(f->vn) : -EINVAL;
	file_put(f);
	return err;
}

/* ---- names -------------------------------------------------------------- */

/* Resolve path's parent for a change: *dir referenced. A mount point's
 * name is busy, a read-only file system refuses. */
static int parent_for_change(const char *path, struct vnode **dir, const char **name,
			     size_t *len)
{
	struct vnode *c = cwd();
	int err = vfs_namei_parent(c, path, dir, name, len);
	vnode_put(c);
	if (err < 0)
		return err;
	if (vfs_is_mount(*dir, *name, *len))
		err = -EBUSY;
	else if ((*dir)->fs->readonly)
		err = -EROFS;
	if (err < 0)
		vnode_put(*dir);
	return err;
}

int fs_mkdir(const char *path, uint32_t mode)
{
	struct vnode *dir;
	const char *name;
	size_t len;
	int err = parent_for_change(path, &dir, &name, &len);
	if (err == -EBUSY)
		return -EEXIST;
	if (err < 0)
		return err;
	err = dir->fs->ops->mkdir(dir, name, len, mode);
	vnode_put(dir);
	return err;
}

static int remove(const char *path, bool is_dir)
{
	struct vnode *dir;
	const char *name;
	size_t len;
	int err = parent_for_change(path, &dir, &name, &len);
	if (err < 0)
		return err;
	if (is_dir)
		err = dir->fs->ops->rmdir(dir, name, len);
	else
		err = dir->fs->ops->unlink(dir, name, len);
	vnode_put(dir);
	return err;
}

int fs_rmdir(const char *path)
{
	return remove(path, true);
}

int fs_unlink(const char *path)
{
	return remove(path, false);
}

int fs_rename(const char *from, const char *to)
{
	struct vnode *od, *nd;
	const char *on, *nn;
	size_t ol, nl;
	int err = parent_for_change(from, &od, &on, &ol);
	if (err < 0)
		return err;
	err = parent_for_change(to, &nd, &nn, &nl);
	if (err < 0) {
		vnode_put(od);
		return err;
	}
	if (od->fs != nd->fs)
		err = -EXDEV;
	else
		err = od->fs->ops->rename(od, on, ol, nd, nn, nl);
	vnode_put(od);
	vnode_put(nd);
	return err;
}

int fs_link(const char *existing, const char *path)
{
	struct vnode *c = cwd(), *v, *dir;
	const char *name;
	size_t len;
	int err = vfs_namei(c, existing, false, &v, NULL);
	vnode_put(c);
	if (err < 0)
		return err;
	err = parent_for_change(path, &dir, &name, &len);
	if (err < 0) {
		vnode_put(v);
		return err == -EBUSY ? -EEXIST : err;
	}
	if (v->type == VN_DIR)
		err = -EPERM;
	else if (v->fs != dir->fs)
		err = -EXDEV;
	else
		err = dir->fs->ops->link(dir, name, len, v);
	vnode_put(dir);
	vnode_put(v);
	return err;
}

int fs_symlink(const char *target, const char *path)
{
	size_t tlen = strlen(target);
	if (tlen == 0)
		return -ENOENT;
	struct vnode *dir;
	const char *name;
	size_t len;
	int err = parent_for_change(path, &dir, &name, &len);
	if (err < 0)
		return err == -EBUSY ? -EEXIST : err;
	err = dir->fs->ops->symlink(dir, name, len, target, tlen);
	vnode_put(dir);
	return err;
}

int fs_readlink(const char *path, struct uio *u)
{
	struct vnode *c = cwd(), *v;
	int err = vfs_namei(c, path, false, &v, NULL);
	vnode_put(c);
	if (err < 0)
		return err;
	err = v->type == VN_SYMLINK ? v->fs->ops->readlink(v, u) : -EINVAL;
	vnode_put(v);
	return err;
}

int fs_sync(void)
{
	return vfs_sync_all();
}

int fs_chdir(const char *path)
{
	char *canon = kmalloc(FS_PATH_MAX), *p = NULL;
	if (!canon)
		return -ENOMEM;
	struct fdtable *t = table_lock();
	strlcpy(canon, t->cwdpath, FS_PATH_MAX);
	struct vnode *c = vnode_get(t->cwd), *v = NULL;
	table_unlock(NULL);
	int err = vfs_namei(c, path, true, &v, canon);
	vnode_put(c);
	if (err < 0)
		goto out;
	err = v->type != VN_DIR ? -ENOTDIR : 0;
	p = err == 0 ? kmalloc(strlen(canon) + 1) : NULL;
	if (err == 0 && !p)
		err = -ENOMEM;
	if (err < 0) {
		vnode_put(v);
		goto out;
	}
	memcpy(p, canon, strlen(canon) + 1);
	struct fdtable *shared;
	table_lock();
	t = table_own(&shared);
	struct vnode *old = v;
	char *oldpath = p;
	if (t) {
		old = t->cwd;
		oldpath = t->cwdpath;
		t->cwd = v;
		t->cwdpath = p;
	}
	table_unlock(shared);
	vnode_put(old);		/* without a table of our own: v and p */
	kfree(oldpath);
	if (!t)
		err = -ENOMEM;
out:
	kfree(canon);
	return err;
}

int fs_getcwd(struct uio *u)
{
	char *copy = kmalloc(FS_PATH_MAX);
	if (!copy)
		return -ENOMEM;
	struct fdtable *t = table_lock();
	uint32_t len = strlcpy(copy, t->cwdpath, FS_PATH_MAX);
	table_unlock(NULL);
	int err = len + 1 > u->len ? -E2BIG : uio_move(u, copy, len + 1, true);
	kfree(copy);
	return err < 0 ? err : (int)len;
}

/* ---- boot --------------------------------------------------------------- */

/*
 * The name space: the RAM disk at the root, a tmpfs at /tmp. A disk's
 * file system takes the root later, at boot, and the RAM disk moves to
 * /rd (files_mount_disk, fs/mount.c).
 */
void files_init(void)
{
	struct fs *rd = ramfs_create(), *tmp = tmpfs_create();
	if (!rd || !tmp)
		panic("files: no memory for the root file systems");
	vfs_mount_root(rd, "ramfs");
	int err = vfs_mount("/", "tmp", tmp, "tmpfs");
	if (err < 0)
		panic("files: cannot mount /tmp (error %d)", err);
}
