/*
 * sys_fs.c: the file-system calls, one vector with an op word
 * (docs/abi/fable.md §6, fable/fs.h). The packet is {op, args...}: the
 * op says how many argument words to fetch, so a packet faults no
 * further than its op needs (packet_in). Paths are copied into the
 * kernel here, and buffers become uios; fs/file.c does the rest.
 */
#include "syscall/syscall.h"
#include "fs/file.h"
#include "fs/path.h"
#include "lib/errno.h"
#include "mm/kmalloc.h"
#include "mm/layout.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/thread.h"
#include "sync/spinlock.h"

#define FS_ARGS_MAX 4
#define FS_ARGS_MOST 3	/* every op's but pread's and pwrite's */

/* Argument words of each op. */
static const uint8_t nargs[FS_NOPS] = {
	[FS_OPEN] = 3, [FS_CLOSE] = 1, [FS_READ] = 3, [FS_WRITE] = 3, [FS_LSEEK] = 3,
	[FS_FSTAT] = 2, [FS_STAT] = 2, [FS_LSTAT] = 2, [FS_READDIR] = 2, [FS_MKDIR] = 2,
	[FS_RMDIR] = 1, [FS_UNLINK] = 1, [FS_RENAME] = 2, [FS_LINK] = 2, [FS_SYMLINK] = 2,
	[FS_READLINK] = 3, [FS_FSYNC] = 1, [FS_SYNC] = 0, [FS_DUP2] = 2, [FS_PIPE] = 1,
	[FS_CHDIR] = 1, [FS_GETCWD] = 2, [FS_MOUNTS] = 2, [FS_PREAD] = 4, [FS_PWRITE] = 4,
};

/*
 * Path buffers: a few of FS_PATH_MAX bytes are kept here for the calls in
 * progress, as a kmalloc'd one costs a path call about 1,500
 * instructions (the heap checks its poison when it hands the block out
 * and writes it again when it is freed: docs/performance.md). More calls
 * at once than the pool holds use kmalloc. Lock tags (docs/sync.md): [l]
 * path_lock, a leaf. A spinlock, not a mutex: it is held for a few
 * instructions and never across a sleep, and a mutex would cost more than
 * the kmalloc the pool saves.
 */
#define PATH_POOL 8
static char path_pool[PATH_POOL][FS_PATH_MAX];
static uint32_t path_free = (1u << PATH_POOL) - 1;	/* [l] bit i: pool[i] is free */
static struct spinlock path_lock = SPINLOCK_INIT("path pool");

static char *path_get(void)
{
	uint32_t f = spin_lock(&path_lock);
	int i = path_free ? __builtin_ctz(path_free) : -1;
	if (i >= 0)
		path_free &= ~(1u << i);
	spin_unlock(&path_lock, f);
	return i >= 0 ? path_pool[i] : kmalloc(FS_PATH_MAX);
}

/* Gives back a buffer of path_in. */
static void path_put(char *p)
{
	uintptr_t off = (uintptr_t)p - (uintptr_t)path_pool;
	if (off >= sizeof path_pool) {
		kfree(p);
		return;
	}
	uint32_t f = spin_lock(&path_lock);
	path_free |= 1u << (off / FS_PATH_MAX);
	spin_unlock(&path_lock, f);
}

/* A path from user memory into a buffer of the pool (*out, to give back
 * with path_put). */
static int path_in(uint32_t upath, char **out)
{
	char *p = path_get();
	if (!p)
		return -ENOMEM;
	int n = strncpy_from_user(p, upath, FS_PATH_MAX);
	if (n < 0) {
		path_put(p);
		return n == -E2BIG ? -ENAMETOOLONG : n;
	}
	*out = p;
	return 0;
}

/* A user buffer of count bytes as a uio; -EFAULT unless the task may
 * access all of it (prot), checked before anything moves. (Reads and
 * writes check theirs in fs_transfer.) */
static int user_uio(uint32_t ubuf, int count, int prot, struct uio *u)
{
	if (count < 0)
		return -EINVAL;
	struct task *k = mytask();
	struct vm *vm = k->vm;
	if (task_alone(k) ? !vm_range_ok_alone(vm, ubuf, count, prot)
			    : !vm_range_ok(vm, ubuf, count, prot))
		return -EFAULT;
	*u = (struct uio){ (char *)ubuf, (uint32_t)count, true };
	return 0;
}

static int do_ptransfer(const uint32_t *a, bool write)
{
	struct uio u;
	int err = user_uio(a[1], (int)a[2], write ? VM_READ : VM_WRITE, &u);
	if (err < 0)
		return err;
	return fs_ptransfer((int)a[0], &u, (int32_t)a[3], write);
}

static int do_stat(const uint32_t *a, int op)
{
	struct fable_stat st;
	int err;
	if (op == FS_FSTAT) {
		err = fs_fstat((int)a[0], &st);
	} else {
		char *path;
		err = path_in(a[0], &path);
		if (err < 0)
			return err;
		err = fs_stat(path, op == FS_STAT, &st);
		path_put(path);
	}
	return err < 0 ? err : copy_to_user(a[1], &st, sizeof st);
}

static int do_readdir(const uint32_t *a)
{
	if (!vm_range_ok(curtask()->vm, a[1], sizeof(struct fable_dirent), VM_WRITE))
		return -EFAULT;
	struct fable_dirent *d = kmalloc(sizeof *d);
	if (!d)
		return -ENOMEM;
	int r = fs_readdir((int)a[0], d);
	if (r == 1 && copy_to_user(a[1], d, sizeof *d) < 0)
		r = -EFAULT;	/* unmapped meanwhile: the entry is lost */
	kfree(d);
	return r;
}

/* The ops whose only argument is a path (and maybe a mode). */
static int do_path(const uint32_t *a, int op)
{
	char *path;
	int err = path_in(a[0], &path);
	if (err < 0)
		return err;
	switch (op) {
	case FS_OPEN: err = fs_open(path, (int)a[1], a[2]); break;
	case FS_MKDIR: err = fs_mkdir(path, a[1]); break;
	case FS_RMDIR: err = fs_rmdir(path); break;
	case FS_UNLINK: err = fs_unlink(path); break;
	case FS_CHDIR: err = fs_chdir(path); break;
	}
	path_put(path);
	return err;
}

/* rename, link, symlink: two paths. */
static int do_two_paths(const uint32_t *a, int op)
{
	char *from, *to;
	int err = path_in(a[0], &from);
	if (err < 0)
		return err;
	err = path_in(a[1], &to);
	if (err < 0) {
		path_put(from);
		return err;
	}
	if (op == FS_RENAME)
		err = fs_rename(from, to);
	else if (op == FS_LINK)
		err = fs_link(from, to);
	else
		err = fs_symlink(from, to);
	path_put(from);
	path_put(to);
	return err;
}

static int do_readlink(const uint32_t *a)
{
	struct uio u;
	int err = user_uio(a[1], (int)a[2], VM_WRITE, &u);
	if (err < 0)
		return err;
	char *path;
	if ((err = path_in(a[0], &path)) < 0)
		return err;
	err = fs_readlink(path, &u);
	path_put(path);
	return err;
}

static int do_pipe(const uint32_t *a)
{
	int fds[2];
	if (!vm_range_ok(curtask()->vm, a[0], sizeof fds, VM_WRITE))
		return -EFAULT;
	int err = fs_pipe(fds);
	if (err < 0)
		return err;
	if (copy_to_user(a[0], fds, sizeof fds) < 0) {
		fs_close(fds[0]);	/* unmapped meanwhile */
		fs_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

static int do_getcwd(const uint32_t *a)
{
	struct uio u;
	int err = user_uio(a[0], (int)a[1], VM_WRITE, &u);
	return err < 0 ? err : fs_getcwd(&u);
}

static int do_mounts(const uint32_t *a)
{
	struct fable_mount m;
	if (!vfs_mount_info((int)a[0], &m))
		return 0;
	return copy_to_user(a[1], &m, sizeof m) < 0 ? -EFAULT : 1;
}

/*
 * Read the packet at upkt into w: -EFAULT, -ENOSYS for an unknown op, or
 * 0. User memory is mapped a whole page at a time, so when the packet of
 * most ops (FS_ARGS_MOST words after the op) fits in the op word's page,
 * reading all of it at once can fault only where reading the op word
 * would: one copy instead of two, and the words the op does not use are
 * ignored. pread's and pwrite's last word comes with a second copy.
 */
static int packet_in(uint32_t upkt, uint32_t w[1 + FS_ARGS_MAX])
{
	const uint32_t size = (1 + FS_ARGS_MOST) * sizeof w[0];
	bool one_page = (upkt & PAGE_MASK) <= PAGE_SIZE - size;
	if (copy_from_user(w, upkt, one_page ? size : sizeof w[0]) < 0)
		return -EFAULT;
	if (w[0] == 0 || w[0] >= FS_NOPS)
		return -ENOSYS;
	if (one_page && nargs[w[0]] <= FS_ARGS_MOST)
		return 0;
	uint32_t have = one_page ? FS_ARGS_MOST : 0, need = nargs[w[0]];
	if (need > have && copy_from_user(w + 1 + have, upkt + 4 * (1 + have), (need - have) * 4) < 0)
		return -EFAULT;
	return 0;
}

int sys_fs(struct trapframe *tf)
{
	uint32_t w[1 + FS_ARGS_MAX];
	int err = packet_in(tf->esi, w);
	if (err < 0)
		return err;
	uint32_t op = w[0];
	const uint32_t *a = w + 1;
	switch (op) {
	case FS_READ: return fs_transfer((int)a[0], a[1], (int)a[2], false);
	case FS_WRITE: return fs_transfer((int)a[0], a[1], (int)a[2], true);
	case FS_PREAD: case FS_PWRITE: return do_ptransfer(a, op == FS_PWRITE);
	case FS_CLOSE: return fs_close((int)a[0]);
	case FS_LSEEK: return fs_lseek((int)a[0], (int32_t)a[1], (int)a[2]);
	case FS_FSTAT: case FS_STAT: case FS_LSTAT: return do_stat(a, op);
	case FS_READDIR: return do_readdir(a);
	case FS_RENAME: case FS_LINK: case FS_SYMLINK: return do_two_paths(a, op);
	case FS_READLINK: return do_readlink(a);
	case FS_FSYNC: return fs_fsync((int)a[0]);
	case FS_SYNC: return fs_sync();
	case FS_DUP2: return fs_dup2((int)a[0], (int)a[1]);
	case FS_PIPE: return do_pipe(a);
	case FS_GETCWD: return do_getcwd(a);
	case FS_MOUNTS: return do_mounts(a);
	default: return do_path(a, op);
	}
}
