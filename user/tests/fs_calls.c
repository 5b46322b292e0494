/* fs_calls.c: every operation of vector FS_INT with good and hostile
 * arguments. The RAM disk reads through open/read as through readfile
 * and refuses every change (-EROFS); /tmp (tmpfs) creates, writes,
 * appends, truncates, renames, links, symlinks, lists and removes; paths
 * walk '.', '..', links (a loop is -ELOOP), mount points (-EBUSY, and
 * listed in '/'); bad descriptors, flags, names, pointers and packets
 * are refused; a table fills at FS_FD_MAX (-EMFILE); /tmp fills at its
 * bound (-ENOSPC) and gives every page back. */
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define REGION 0x40000000u

int fs_call(unsigned int *packet);
int main(void);

static char buf[8192], big[8192];

static int slurp_readfile(const char *name, char *out, int max)
{
	return readfile((char *)name, out, max, 0);
}

/* The RAM disk through descriptors: the same bytes as readfile. */
static void ramdisk(void)
{
	static char want[4096];
	fable_stat_t st;
	int n = slurp_readfile("readme.txt", want, sizeof want);
	CHECK(n > 100);
	int fd = open("readme.txt", O_RDONLY, 0);
	CHECK(fd >= 3);
	CHECK(read(fd, buf, 10) == 10 && memcmp(buf, want, 10) == 0);
	CHECK(read(fd, buf + 10, sizeof buf) == n - 10 && memcmp(buf, want, n) == 0);
	CHECK(read(fd, buf, 10) == 0);
	CHECK(lseek(fd, 5, SEEK_SET) == 5 && read(fd, buf, 5) == 5 && !memcmp(buf, want + 5, 5));
	CHECK(lseek(fd, -3, SEEK_END) == n - 3 && lseek(fd, 1, SEEK_CUR) == n - 2);
	CHECK(lseek(fd, -1, SEEK_SET) == -EINVAL && lseek(fd, 0, 7) == -EINVAL);
	CHECK(fstat(fd, &st) == 0 && st.type == FT_FILE && (int)st.size == n);
	CHECK(write(fd, "x", 1) == -EBADF);
	CHECK(close(fd) == 0 && close(fd) == -EBADF);
	CHECK(open("/readme.txt", O_RDONLY, 0) == 3 && close(3) == 0);
	CHECK(open("readme.txt", O_WRONLY, 0) == -EROFS);
	CHECK(open("readme.txt", O_RDONLY | O_TRUNC, 0) == -EROFS);
	CHECK(open("newfile", O_CREAT | O_WRONLY, 0644) == -EROFS);
	CHECK(open("nosuchfile", O_RDONLY, 0) == -ENOENT);
	CHECK(unlink("readme.txt") == -EROFS && mkdir("/d", 0755) == -EROFS);
	CHECK(open("readme.txt/x", O_RDONLY, 0) == -ENOTDIR);
	CHECK(open("/", O_WRONLY, 0) == -EISDIR);
	CHECK(open("readme.txt", O_RDONLY | O_DIRECTORY, 0) == -ENOTDIR);
	CHECK(stat("/./tmp/../readme.txt", &st) == 0 && (int)st.size == n);
	CHECK(stat("/", &st) == 0 && st.type == FT_DIR);
}

/* Is name among the entries of directory path? */
static int listed(const char *path, const char *name)
{
	fable_dirent_t d;
	int fd = open(path, O_RDONLY | O_DIRECTORY, 0), found = 0, r;
	if (fd < 0)
		return fd;
	while ((r = readdir(fd, &d)) == 1)
		found += strcmp(d.name, name) == 0 && d.namelen == strlen(name);
	close(fd);
	return r < 0 ? r : found;
}

static void tmp_files(void)
{
	fable_stat_t st;
	int fd = open("/tmp/a", O_CREAT | O_EXCL | O_RDWR, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, "hello, ", 7) == 7 && write(fd, "world\n", 6) == 6);
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, 100) == 13);
	CHECK(memcmp(buf, "hello, world\n", 13) == 0);
	CHECK(close(fd) == 0);
	CHECK(open("/tmp/a", O_CREAT | O_EXCL | O_RDWR, 0644) == -EEXIST);
	fd = open("/tmp/a", O_WRONLY | O_APPEND, 0);
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "more\n", 5) == 5);
	CHECK(read(fd, buf, 1) == -EBADF);
	CHECK(close(fd) == 0);
	CHECK(stat("/tmp/a", &st) == 0 && st.size == 18 && st.nlink == 1 && st.type == FT_FILE);
	fd = open("/tmp/a", O_RDWR | O_TRUNC, 0);
	CHECK(fstat(fd, &st) == 0 && st.size == 0);
	/* A hole reads as zeros. */
	CHECK(lseek(fd, 10000, SEEK_SET) == 10000 && write(fd, "z", 1) == 1);
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, big, sizeof big) == sizeof big);
	int zeros = 1;
	for (unsigned i = 0; i < sizeof big; i++)
		zeros &= big[i] == 0;
	CHECK(zeros);
	CHECK(fstat(fd, &st) == 0 && st.size == 10001);
	CHECK(fsync(fd) == 0 && sync() == 0);
	CHECK(close(fd) == 0);
	/* Links. */
	CHECK(link("/tmp/a", "/tmp/b") == 0 && stat("/tmp/b", &st) == 0 && st.nlink == 2);
	CHECK(link("/tmp/a", "/tmp/b") == -EEXIST);
	CHECK(link("/tmp", "/tmp/dirlink") == -EPERM);
	CHECK(link("/readme.txt", "/tmp/c") == -EXDEV);
	CHECK(rename("/readme.txt", "/tmp/c") == -EROFS);
	CHECK(rename("/tmp/b", "/tmp/c") == 0 && stat("/tmp/b", &st) == -ENOENT);
	CHECK(stat("/tmp/c", &st) == 0 && st.size == 10001);
	CHECK(unlink("/tmp/a") == 0 && stat("/tmp/c", &st) == 0 && st.nlink == 1);
	CHECK(symlink("c", "/tmp/s") == 0 && stat("/tmp/s", &st) == 0 && st.size == 10001);
	CHECK(lstat("/tmp/s", &st) == 0 && st.type == FT_SYMLINK && st.size == 1);
	CHECK(readlink("/tmp/s", buf, sizeof buf) == 1 && buf[0] == 'c');
	CHECK(readlink("/tmp/c", buf, sizeof buf) == -EINVAL);
	CHECK(symlink("loop2", "/tmp/loop1") == 0 && symlink("loop1", "/tmp/loop2") == 0);
	CHECK(open("/tmp/loop1", O_RDONLY, 0) == -ELOOP);
	CHECK(symlink("", "/tmp/empty") == -ENOENT);
	CHECK(unlink("/tmp/loop1") == 0 && unlink("/tmp/loop2") == 0);
	/* A file unlinked while open lives until it is closed. */
	fd = open("/tmp/c", O_RDONLY, 0);
	CHECK(unlink("/tmp/c") == 0 && stat("/tmp/c", &st) == -ENOENT);
	CHECK(lseek(fd, 10000, SEEK_SET) == 10000 && read(fd, buf, 5) == 1 && buf[0] == 'z');
	CHECK(close(fd) == 0);
	CHECK(unlink("/tmp/s") == 0);
}

static void tmp_dirs(void)
{
	fable_stat_t st;
	CHECK(mkdir("/tmp/d", 0755) == 0 && mkdir("/tmp/d", 0755) == -EEXIST);
	CHECK(mkdir("/tmp/d/e", 0755) == 0 && stat("/tmp/d", &st) == 0 && st.nlink == 3);
	int fd = open("/tmp/d/e/f", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && close(fd) == 0);
	CHECK(rmdir("/tmp/d/e") == -ENOTEMPTY && rmdir("/tmp/d/e/f") == -ENOTDIR);
	CHECK(unlink("/tmp/d/e") == -EISDIR);
	CHECK(listed("/tmp/d/e", "f") == 1 && listed("/tmp", "d") == 1);
	CHECK(listed("/", "tmp") == 1 && listed("/", "readme.txt") == 1 && listed("/", ".") == 0);
	CHECK(listed("/tmp/d/e/f", "x") == -ENOTDIR);
	/* The current directory and relative paths. */
	CHECK(getcwd(buf, sizeof buf) == 1 && strcmp(buf, "/") == 0);
	CHECK(chdir("/tmp/d/e") == 0 && getcwd(buf, sizeof buf) == 8);
	CHECK(strcmp(buf, "/tmp/d/e") == 0 && getcwd(buf, 8) == -E2BIG);
	CHECK(stat("f", &st) == 0 && stat("./f", &st) == 0 && stat("../e/f", &st) == 0);
	CHECK(stat("../../../readme.txt", &st) == 0 && stat("../../../../../readme.txt", &st) == 0);
	CHECK(chdir("f") == -ENOTDIR && chdir("nope") == -ENOENT);
	CHECK(symlink("/tmp/d", "/tmp/dl") == 0 && chdir("/tmp/dl/e/..") == 0);
	CHECK(getcwd(buf, sizeof buf) == 6 && strcmp(buf, "/tmp/d") == 0);
	CHECK(rename("e", "/tmp/e2") == 0 && stat("/tmp/e2/f", &st) == 0);
	CHECK(rename("/tmp/e2", "/tmp/e2/f/x") == -ENOTDIR);
	CHECK(rename("/tmp/d", "/tmp/d/x") == -EINVAL);
	CHECK(chdir("..") == 0 && getcwd(buf, sizeof buf) == 4 && strcmp(buf, "/tmp") == 0);
	CHECK(chdir("..") == 0 && getcwd(buf, sizeof buf) == 1);
	CHECK(rmdir("/tmp") == -EBUSY && unlink("tmp") == -EBUSY && mkdir("/tmp", 0) == -EEXIST);
	CHECK(rename("/tmp", "/x") == -EBUSY);
	CHECK(rmdir("/tmp/.") == -EINVAL && rmdir("/") == -EINVAL && rmdir("/tmp/..") == -EINVAL);
	CHECK(unlink("/tmp/e2/f") == 0 && rmdir("/tmp/e2") == 0 && unlink("/tmp/dl") == 0);
	CHECK(rmdir("/tmp/d") == 0 && stat("/tmp/d", &st) == -ENOENT);
	CHECK(listed("/tmp", "d") == 0);
}

/* Names and paths at and past their limits. */
static void limits(void)
{
	fable_stat_t st;
	char name[300];
	memset(name, 'n', sizeof name);
	strcpy(name, "/tmp/");
	memset(name + 5, 'n', 255);
	name[260] = 0;
	int fd = open(name, O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0 && close(fd) == 0 && unlink(name) == 0);
	name[260] = 'n', name[261] = 0;
	CHECK(open(name, O_CREAT | O_RDWR, 0644) == -ENAMETOOLONG);
	static char path[FS_PATH_MAX + 10];
	for (int i = 0; i < FS_PATH_MAX + 8; i += 2)
		path[i] = '.', path[i + 1] = '/';
	path[FS_PATH_MAX - 1] = 0;
	CHECK(stat(path, &st) == 0 || stat(path, &st) == -ENOENT);
	path[FS_PATH_MAX - 1] = '/';
	path[FS_PATH_MAX + 8] = 0;
	CHECK(stat(path, &st) == -ENAMETOOLONG);
	/* The table fills. */
	int fds[FS_FD_MAX], n = 0, r;
	while ((r = open("/readme.txt", O_RDONLY, 0)) >= 0)
		fds[n++] = r;
	CHECK(r == -EMFILE && n == FS_FD_MAX - 3);
	CHECK(dup2(0, FS_FD_MAX - 1) == FS_FD_MAX - 1);
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/* Descriptors, flags, pointers and packets a caller should not pass. */
static void hostile(void)
{
	fable_stat_t st;
	fable_dirent_t d;
	CHECK(close(-1) == -EBADF && close(FS_FD_MAX) == -EBADF && close(20) == -EBADF);
	CHECK(read(20, buf, 1) == -EBADF && write(-5, buf, 1) == -EBADF);
	CHECK(read(0, buf, -1) == -EINVAL && lseek(0, 0, SEEK_SET) == -ESPIPE);
	CHECK(fstat(0, &st) == 0 && st.type == FT_CONSOLE && fsync(0) == -EINVAL);
	CHECK(readdir(0, &d) == -ENOTDIR && dup2(40, 3) == -EBADF && dup2(0, 40) == -EBADF);
	CHECK(open("/readme.txt", 0x1000, 0) == -EINVAL && open("/readme.txt", 3, 0) == -EINVAL);
	CHECK(open(NULL, O_RDONLY, 0) == -EFAULT && open((char *)0x100000, O_RDONLY, 0) == -EFAULT);
	CHECK(open("", O_RDONLY, 0) == -ENOENT && stat("readme.txt", NULL) == -EFAULT);
	CHECK(stat("readme.txt", (fable_stat_t *)main) == -EFAULT);
	int fd = open("/readme.txt", O_RDONLY, 0);
	CHECK(read(fd, (char *)main, 10) == -EFAULT && read(fd, (char *)0xFFFFF000, 10) == -EFAULT);
	CHECK(lseek(fd, 0, SEEK_CUR) == 0);	/* nothing was consumed */
	CHECK(read(fd, buf, 0) == 0 && close(fd) == 0);
	CHECK(pipe(NULL) == -EFAULT && pipe((int *)main) == -EFAULT);
	CHECK(getcwd(NULL, 10) == -EFAULT && getcwd(buf, -1) == -EINVAL);
	CHECK(readlink("/tmp", (char *)main, 10) == -EFAULT);
	CHECK(rename("/tmp/x", NULL) == -EFAULT && symlink(NULL, "/tmp/x") == -EFAULT);
	fd = open("/tmp/w", O_CREAT | O_RDWR, 0644);
	CHECK(write(fd, NULL, 10) == -EFAULT && write(fd, (char *)0x100000, 1) == -EFAULT);
	CHECK(fstat(fd, &st) == 0 && st.size == 0);
	CHECK(close(fd) == 0 && unlink("/tmp/w") == 0);
	/* Packets: unknown ops, unreadable, and cut short by the end of memory. */
	unsigned int p[4] = { 0, 0, 0, 0 };
	CHECK(fs_call(p) == -ENOSYS);
	p[0] = FS_NOPS;
	CHECK(fs_call(p) == -ENOSYS);
	p[0] = 0x80000001u;
	CHECK(fs_call(p) == -ENOSYS);
	CHECK(fs_call(NULL) == -EFAULT && fs_call((unsigned int *)0x500000) == -EFAULT);
	CHECK(new_pages((void *)REGION, PAGE_SIZE) == 0);
	unsigned int *edge = (unsigned int *)(REGION + PAGE_SIZE - 8);
	edge[0] = FS_DUP2, edge[1] = 0;	/* dup2 needs a third word */
	CHECK(fs_call(edge) == -EFAULT);
	edge[0] = FS_CLOSE, edge[1] = 25;	/* close needs only two */
	CHECK(fs_call(edge) == -EBADF);
	edge = (unsigned int *)(REGION + PAGE_SIZE - 4);
	edge[0] = FS_SYNC;
	CHECK(fs_call(edge) == 0);
	CHECK(remove_pages((void *)REGION) == 0);
}

/* /tmp is bounded, and gives its pages back. */
static void full(void)
{
	kstat_t k = { .size = sizeof k };
	int fd = open("/tmp/big", O_CREAT | O_WRONLY, 0644), n, total = 0;
	memset(big, 'b', sizeof big);
	while ((n = write(fd, big, sizeof big)) == sizeof big)
		total += n;
	CHECK(n == -ENOSPC || (n >= 0 && n < (int)sizeof big && write(fd, big, 1) == -ENOSPC));
	CHECK(kstat(&k) == 0 && k.fs_pages == 512);
	CHECK(open("/tmp/more", O_CREAT | O_WRONLY, 0644) >= 0);	/* names still fit */
	CHECK(write(fd, big, 1) == -ENOSPC);
	close(fd);
	close(3);
	CHECK(unlink("/tmp/big") == 0 && unlink("/tmp/more") == 0);
	CHECK(kstat(&k) == 0 && k.fs_pages == 0);
	tprintf("full: %d bytes before -ENOSPC\n", total);
}

int main(void)
{
	ramdisk();
	tmp_files();
	tmp_dirs();
	limits();
	hostile();
	full();
	test_done();
}
