/*
 * fs.c: the C functions of vector FS_INT (<unistd.h>, docs/abi/fable.md
 * §6). Each builds the packet {op, args...} and hands it to the stub.
 */
#include <unistd.h>

int fs_call(unsigned int *packet);

#define W(x) ((unsigned int)(x))

int open(const char *path, int flags, int mode)
{
	unsigned int p[] = { FS_OPEN, W(path), W(flags), W(mode) };
	return fs_call(p);
}

int close(int fd)
{
	unsigned int p[] = { FS_CLOSE, W(fd) };
	return fs_call(p);
}

int read(int fd, void *buf, int count)
{
	unsigned int p[] = { FS_READ, W(fd), W(buf), W(count) };
	return fs_call(p);
}

int write(int fd, const void *buf, int count)
{
	unsigned int p[] = { FS_WRITE, W(fd), W(buf), W(count) };
	return fs_call(p);
}

int pread(int fd, void *buf, int count, int offset)
{
	unsigned int p[] = { FS_PREAD, W(fd), W(buf), W(count), W(offset) };
	return fs_call(p);
}

int pwrite(int fd, const void *buf, int count, int offset)
{
	unsigned int p[] = { FS_PWRITE, W(fd), W(buf), W(count), W(offset) };
	return fs_call(p);
}

int lseek(int fd, int offset, int whence)
{
	unsigned int p[] = { FS_LSEEK, W(fd), W(offset), W(whence) };
	return fs_call(p);
}

int fstat(int fd, fable_stat_t *st)
{
	unsigned int p[] = { FS_FSTAT, W(fd), W(st) };
	return fs_call(p);
}

int stat(const char *path, fable_stat_t *st)
{
	unsigned int p[] = { FS_STAT, W(path), W(st) };
	return fs_call(p);
}

int lstat(const char *path, fable_stat_t *st)
{
	unsigned int p[] = { FS_LSTAT, W(path), W(st) };
	return fs_call(p);
}

int readdir(int fd, fable_dirent_t *entry)
{
	unsigned int p[] = { FS_READDIR, W(fd), W(entry) };
	return fs_call(p);
}

int mkdir(const char *path, int mode)
{
	unsigned int p[] = { FS_MKDIR, W(path), W(mode) };
	return fs_call(p);
}

int rmdir(const char *path)
{
	unsigned int p[] = { FS_RMDIR, W(path) };
	return fs_call(p);
}

int unlink(const char *path)
{
	unsigned int p[] = { FS_UNLINK, W(path) };
	return fs_call(p);
}

int rename(const char *from, const char *to)
{
	unsigned int p[] = { FS_RENAME, W(from), W(to) };
	return fs_call(p);
}

int link(const char *existing, const char *path)
{
	unsigned int p[] = { FS_LINK, W(existing), W(path) };
	return fs_call(p);
}

int symlink(const char *target, const char *path)
{
	unsigned int p[] = { FS_SYMLINK, W(target), W(path) };
	return fs_call(p);
}

int readlink(const char *path, char *buf, int size)
{
	unsigned int p[] = { FS_READLINK, W(path), W(buf), W(size) };
	return fs_call(p);
}

int fsync(int fd)
{
	unsigned int p[] = { FS_FSYNC, W(fd) };
	return fs_call(p);
}

int sync(void)
{
	unsigned int p[] = { FS_SYNC };
	return fs_call(p);
}

int dup2(int fd, int newfd)
{
	unsigned int p[] = { FS_DUP2, W(fd), W(newfd) };
	return fs_call(p);
}

int pipe(int fds[2])
{
	unsigned int p[] = { FS_PIPE, W(fds) };
	return fs_call(p);
}

int chdir(const char *path)
{
	unsigned int p[] = { FS_CHDIR, W(path) };
	return fs_call(p);
}

int getcwd(char *buf, int size)
{
	unsigned int p[] = { FS_GETCWD, W(buf), W(size) };
	return fs_call(p);
}

int getmount(int index, fable_mount_t *out)
{
	unsigned int p[] = { FS_MOUNTS, W(index), W(out) };
	return fs_call(p);
}
