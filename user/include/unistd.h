/*
 * unistd.h: files, directories, descriptors and pipes - Fable's calls on
 * vector 0x84 (docs/abi/fable.md §6), one C function per operation.
 * Every function returns what the kernel returned: a count, a
 * descriptor or 0 on success, a negative error of <errno.h> on failure
 * (there is no errno variable).
 *
 * Descriptors 0, 1 and 2 are the standard input, output and error; a
 * new task has the console on all three. print, readline and getchar
 * use 1 and 0, so redirecting them (dup2) redirects those calls too.
 */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <fable/fs.h>	/* O_*, SEEK_*, FT_*, fable_stat_t, fable_dirent_t, limits */
#include <errno.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* Open path with flags (one of O_RDONLY, O_WRONLY, O_RDWR, or'ed with
 * O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY); mode for a new file.
 * The lowest free descriptor. */
int open(const char *path, int flags, int mode);
int close(int fd);
/* Up to count bytes: the count moved; read returns 0 at the end. */
int read(int fd, void *buf, int count);
int write(int fd, const void *buf, int count);
/* read and write at offset, leaving the descriptor's offset where it is
 * (and pwrite ignores O_APPEND); -ESPIPE on a pipe or the console. */
int pread(int fd, void *buf, int count, int offset);
int pwrite(int fd, const void *buf, int count, int offset);
/* The new offset; -ESPIPE on a pipe or the console. */
int lseek(int fd, int offset, int whence);
int fstat(int fd, fable_stat_t *st);
int stat(const char *path, fable_stat_t *st);
/* stat, but a symbolic link is described, not followed. */
int lstat(const char *path, fable_stat_t *st);
/* The next entry of the directory open at fd: 1, or 0 after the last. */
int readdir(int fd, fable_dirent_t *entry);
int mkdir(const char *path, int mode);
int rmdir(const char *path);
int unlink(const char *path);
int rename(const char *from, const char *to);
int link(const char *existing, const char *path);
int symlink(const char *target, const char *path);
/* The link's target, not NUL-terminated: its length (at most size). */
int readlink(const char *path, char *buf, int size);
int fsync(int fd);
int sync(void);
/* Make newfd name what fd names (closing newfd first): newfd. */
int dup2(int fd, int newfd);
/* fds[0] reads what fds[1] writes. */
int pipe(int fds[2]);
int chdir(const char *path);
/* The current directory's absolute path, NUL-terminated: its length. */
int getcwd(char *buf, int size);
/* Mount index (from 0): 1 and *out, or 0 past the last (df). */
int getmount(int index, fable_mount_t *out);

#endif /* _UNISTD_H */
