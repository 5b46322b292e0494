/*
 * file.h: open files and descriptor tables (docs/files.md).
 *
 * A struct file is one open: a vnode with an offset, an end of a pipe,
 * or the console. Descriptors are slots of a task's table that point at
 * files; fork gives the child the parent's table (parent and child then
 * share each file, offset included), dup2 makes two slots share one,
 * exec keeps the table, and the task's exit closes every slot. A file
 * goes when its last slot does. The table also holds the task's current
 * directory.
 *
 * Fork does not copy the table: parent and child share it, counted, and
 * a shared table never changes. The first task of those sharing it to
 * open, close, dup2, pipe or chdir copies it and changes its copy
 * (fs/file.c), so a child that exits or execs at once costs no copy.
 *
 * The console calls act through descriptors 0 and 1 (syscall/
 * sys_console.c): they are the console unless redirected.
 *
 * Lock tags (docs/sync.md): [c] constant, [a] atomic, [m] the mutex of
 * the structure, lock; [t] task->lock of the task whose table it is
 * (proc/thread.h), while refs is 1: a shared table does not change.
 */
#ifndef FS_FILE_H
#define FS_FILE_H

#include <stdbool.h>
#include <stdint.h>
#include "fs/vfs.h"
#include "sync/mutex.h"
#include <fable/fs.h>

struct pipe;
struct sock;
struct task;

enum file_kind { FILE_VNODE, FILE_PIPE, FILE_CONSOLE, FILE_SOCK };

struct file {
	uint32_t refs;			/* [a] table slots and calls in progress */
	enum file_kind kind;		/* [c] */
	int flags;			/* [c] open's access mode and O_APPEND */
	struct vnode *vn;		/* [c] FILE_VNODE: referenced */
	struct pipe *pipe;		/* [c] FILE_PIPE */
	struct sock *sock;		/* [c] FILE_SOCK: net/sock.c's, closed
					 * with the file */
	struct mutex lock;		/* held across a transfer, so that
					 * the offset moves once per call */
	uint32_t off;			/* [m] next byte; a directory's
					 * readdir cookie */
	bool dir_done;			/* [m] readdir: the fs's entries are over */
	uint32_t mounts_seen;		/* [m] readdir: mount points given after them */
};

struct fdtable {
	uint32_t refs;			/* [a] tasks sharing it */
	struct file *fd[FS_FD_MAX];	/* [t] NULL: a free slot; read without
					 * the lock by the task's only thread */
	struct vnode *cwd;		/* [t] the current directory, referenced */
	char *cwdpath;			/* [t] its absolute path (kmalloc'd) */
};

/* Open files (kstat); the console's does not count. */
uint32_t file_count(void);

/* The calling task's file at fd, referenced; NULL if fd is not open. */
struct file *file_get(int fd);
void file_put(struct file *f);

/* Transfers. f must allow the direction (-EBADF). readline takes up to
 * and including the first '\n', as the console's readline does. */
int file_read(struct file *f, struct uio *u);
int file_write(struct file *f, struct uio *u);
int file_readline(struct file *f, struct uio *u);
/* read (to_file false) or write of count bytes at user address ubuf
 * through the calling task's descriptor fd: the buffer's check (-EINVAL
 * for a negative count, -EFAULT), file_get, file_read or file_write and
 * file_put in one call. */
int fs_transfer(int fd, uint32_t ubuf, int count, bool to_file);
/* pread (to_file false) or pwrite at off, the file's offset unused and
 * kept: -ESPIPE for a pipe or the console, -EINVAL for off < 0. */
int fs_ptransfer(int fd, struct uio *u, int32_t off, bool to_file);

/* The calls of vector FS_INT (fable/fs.h, docs/abi/fable.md §6) on the
 * calling task, with every path a kernel string and every buffer a uio
 * or a kernel structure. */
int fs_open(const char *path, int flags, uint32_t mode);
int fs_close(int fd);
int fs_lseek(int fd, int32_t off, int whence);
int fs_fstat(int fd, struct fable_stat *st);
int fs_stat(const char *path, bool follow, struct fable_stat *st);
/* Resolve path (links followed) from the current directory: *out referenced. */
int fs_lookup(const char *path, struct vnode **out);
int fs_readdir(int fd, struct fable_dirent *d);
int fs_mkdir(const char *path, uint32_t mode);
int fs_rmdir(const char *path);
int fs_unlink(const char *path);
int fs_rename(const char *from, const char *to);
int fs_link(const char *existing, const char *path);
int fs_symlink(const char *target, const char *path);
int fs_readlink(const char *path, struct uio *u);
int fs_fsync(int fd);
int fs_sync(void);
int fs_dup2(int fd, int newfd);
int fs_pipe(int fds[2]);
int fs_chdir(const char *path);
/* The current directory's path into u (with its NUL): the length. */
int fs_getcwd(struct uio *u);

/* A descriptor for socket s (net/sock.c), whose reference it takes:
 * the descriptor, or -EMFILE or -ENOMEM (s is then closed). */
int fs_sock_install(struct sock *s);
/* f's socket; NULL if f is not one. */
struct sock *file_sock(struct file *f);

/* Boot: the root and /tmp mounted (fs/file.c knows the layout). */
void files_init(void);

#endif
