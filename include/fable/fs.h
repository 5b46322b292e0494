/*
 * fable/fs.h: the file-system calls on vector 0x84, FS_INT
 * (docs/abi/fable.md §6). %esi points at a packet {op, arg1, ..., arg4};
 * op is one of FS_* below and says how many argument words follow. The
 * user library gives each op a C function (<unistd.h>). Shared by the
 * kernel (syscall/sys_fs.c) and user programs.
 */
#ifndef FABLE_FS_H
#define FABLE_FS_H

/* The operations, and their packets after the op word. */
#define FS_OPEN      1	/* {path, flags, mode}      -> descriptor */
#define FS_CLOSE     2	/* {fd}                     -> 0 */
#define FS_READ      3	/* {fd, buf, count}         -> bytes read, 0 at the end */
#define FS_WRITE     4	/* {fd, buf, count}         -> bytes written */
#define FS_LSEEK     5	/* {fd, offset, whence}     -> the new offset */
#define FS_FSTAT     6	/* {fd, stat}               -> 0 */
#define FS_STAT      7	/* {path, stat}             -> 0 */
#define FS_LSTAT     8	/* {path, stat}             -> 0 */
#define FS_READDIR   9	/* {fd, dirent}             -> 1 an entry, 0 the end */
#define FS_MKDIR    10	/* {path, mode}             -> 0 */
#define FS_RMDIR    11	/* {path}                   -> 0 */
#define FS_UNLINK   12	/* {path}                   -> 0 */
#define FS_RENAME   13	/* {from, to}               -> 0 */
#define FS_LINK     14	/* {existing, new}          -> 0 */
#define FS_SYMLINK  15	/* {target, path}           -> 0 */
#define FS_READLINK 16	/* {path, buf, size}        -> bytes */
#define FS_FSYNC    17	/* {fd}                     -> 0 */
#define FS_SYNC     18	/* {}                       -> 0 */
#define FS_DUP2     19	/* {fd, newfd}              -> newfd */
#define FS_PIPE     20	/* {fds}                    -> 0, fds[0] reads, fds[1] writes */
#define FS_CHDIR    21	/* {path}                   -> 0 */
#define FS_GETCWD   22	/* {buf, size}              -> length, without the NUL */
#define FS_MOUNTS   23	/* {index, mount}           -> 1 a mount, 0 past the last */
#define FS_PREAD    24	/* {fd, buf, count, offset} -> bytes read; the file's offset stays */
#define FS_PWRITE   25	/* {fd, buf, count, offset} -> bytes written; the offset stays */
#define FS_NOPS     26

/* open's flags: one access mode, or'ed with any of the others. */
#define O_RDONLY    0x0
#define O_WRONLY    0x1
#define O_RDWR      0x2
#define O_ACCMODE   0x3
#define O_CREAT     0x10	/* create the file if it does not exist */
#define O_EXCL      0x20	/* with O_CREAT: fail if it exists */
#define O_TRUNC     0x40	/* cut the file to 0 bytes (needs write access) */
#define O_APPEND    0x80	/* every write goes at the end */
#define O_DIRECTORY 0x100	/* fail unless it is a directory */

/* lseek's whence. */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* Limits. */
#define FS_NAME_MAX 255		/* bytes of one path component */
#define FS_PATH_MAX 1024	/* bytes of a path, the NUL included */
#define FS_FD_MAX   32		/* descriptors per task: 0 .. FS_FD_MAX - 1 */
#define FS_PIPE_BUF 4096	/* a pipe's capacity; writes up to this are atomic */

/* What a descriptor or a path names (stat's type, dirent's type). */
#define FT_FILE    1
#define FT_DIR     2
#define FT_SYMLINK 3
#define FT_PIPE    4
#define FT_CONSOLE 5
#define FT_SOCK    6	/* a socket (NET_SOCKET, fable/net.h) */

/* stat, lstat, fstat. Times are seconds (since boot: no clock yet). */
typedef struct fable_stat {
	unsigned int dev;	/* which mounted file system (0 for pipes, console) */
	unsigned int ino;	/* its number for the file */
	unsigned int type;	/* FT_* */
	unsigned int mode;	/* permission bits, 0777 style (kept, not enforced) */
	unsigned int nlink;
	unsigned int size;	/* bytes (a pipe: bytes waiting in it) */
	unsigned int blocks;	/* 512-byte blocks it uses */
	unsigned int atime, mtime, ctime;
} fable_stat_t;			/* 40 bytes */

/* readdir's entry. */
typedef struct fable_dirent {
	unsigned int ino;
	unsigned int type;	/* FT_* */
	unsigned int namelen;	/* bytes of name, without the NUL */
	char name[FS_NAME_MAX + 1];
} fable_dirent_t;		/* 268 bytes */

/* FS_MOUNTS's entry: one mounted file system, for df. */
#define FS_MOUNT_PATH 64
typedef struct fable_mount {
	char path[FS_MOUNT_PATH];	/* where it is mounted, NUL-terminated */
	char type[16];			/* "ramfs", "tmpfs", ... */
	unsigned int readonly;		/* 1 if it refuses every change */
	unsigned int dev;		/* stat's dev for its files */
} fable_mount_t;			/* 88 bytes */

#endif /* FABLE_FS_H */
