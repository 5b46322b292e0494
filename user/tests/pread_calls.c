/* pread_calls.c: pread and pwrite (docs/abi/fable.md §6.2) move bytes
 * at the offset they are given and leave the descriptor's offset where
 * it was (a shared one too: fork's child sees it unmoved); pwrite
 * ignores O_APPEND and leaves a hole past the end. Bad descriptors,
 * access modes, kinds of file, offsets, buffers and packets are
 * refused and change nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define REGION 0x40000000u

int fs_call(unsigned int *packet);
int main(void);

static char buf[8192];

/* Positions: the offset stays, on /tmp (tmpfs) and the RAM disk. */
static void positions(void)
{
	fable_stat_t st;
	int fd = open("/tmp/p", O_CREAT | O_EXCL | O_RDWR, 0644);
	CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10);
	CHECK(pread(fd, buf, 4, 3) == 4 && memcmp(buf, "3456", 4) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10);
	CHECK(pwrite(fd, "ab", 2, 1) == 2 && lseek(fd, 0, SEEK_CUR) == 10);
	CHECK(pread(fd, buf, 100, 0) == 10 && memcmp(buf, "0ab3456789", 10) == 0);
	CHECK(pread(fd, buf, 100, 10) == 0 && pread(fd, buf, 100, 0x7FFFFFFF) == 0);
	/* Past the end: a hole of zeros, the file grows, the offset stays. */
	CHECK(pwrite(fd, "z", 1, 5000) == 1 && lseek(fd, 0, SEEK_CUR) == 10);
	CHECK(fstat(fd, &st) == 0 && st.size == 5001);
	memset(buf, 'x', sizeof buf);
	CHECK(pread(fd, buf, sizeof buf, 4000) == 1001 && buf[0] == 0 && buf[999] == 0);
	CHECK(buf[1000] == 'z');
	CHECK(close(fd) == 0);
	/* O_APPEND is for write, not pwrite. */
	fd = open("/tmp/p", O_WRONLY | O_APPEND, 0);
	CHECK(pwrite(fd, "C", 1, 2) == 1 && pread(fd, buf, 1, 0) == -EBADF);
	CHECK(close(fd) == 0);
	fd = open("/tmp/p", O_RDONLY, 0);
	CHECK(pread(fd, buf, 4, 0) == 4 && memcmp(buf, "0aC3", 4) == 0);
	CHECK(pwrite(fd, "q", 1, 0) == -EBADF);
	/* A shared offset: the child's preads do not move the parent's. */
	CHECK(lseek(fd, 7, SEEK_SET) == 7);
	int pid = fork();
	if (pid == 0)
		exit(pread(fd, buf, 3, 0) == 3 && memcmp(buf, "0aC", 3) == 0 ? 5 : 6);
	int status = 0;
	CHECK(pid > 0 && wait(&status) == pid && status == 5);
	CHECK(lseek(fd, 0, SEEK_CUR) == 7 && read(fd, buf, 2) == 2 && memcmp(buf, "78", 2) == 0);
	CHECK(close(fd) == 0 && unlink("/tmp/p") == 0);
	/* The RAM disk reads the same bytes as readfile. */
	char want[64];
	fd = open("/readme.txt", O_RDONLY, 0);
	CHECK(fd >= 0 && readfile("readme.txt", want, sizeof want, 5) == sizeof want);
	CHECK(pread(fd, buf, sizeof want, 5) == sizeof want && memcmp(buf, want, sizeof want) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 0 && close(fd) == 0);
}

/* Hostile arguments: each refused, the file unchanged. */
static void hostile(void)
{
	fable_stat_t st;
	int fds[2];
	CHECK(pread(-1, buf, 1, 0) == -EBADF && pread(40, buf, 1, 0) == -EBADF);
	CHECK(pwrite(25, "x", 1, 0) == -EBADF && pwrite(0x7FFFFFFF, "x", 1, 0) == -EBADF);
	CHECK(pread(0, buf, 1, 0) == -ESPIPE && pwrite(1, "x", 1, 0) == -ESPIPE);
	CHECK(pipe(fds) == 0);
	CHECK(pwrite(fds[1], "x", 1, 0) == -ESPIPE && pread(fds[0], buf, 1, 0) == -ESPIPE);
	CHECK(pread(fds[1], buf, 1, 0) == -EBADF && pwrite(fds[0], "x", 1, 0) == -EBADF);
	CHECK(close(fds[0]) == 0 && close(fds[1]) == 0);
	int d = open("/tmp", O_RDONLY, 0);
	CHECK(d >= 0 && pread(d, buf, 10, 0) == -EISDIR && close(d) == 0);
	int fd = open("/tmp/h", O_CREAT | O_EXCL | O_RDWR, 0644);
	CHECK(fd >= 0 && pwrite(fd, "abcd", 4, 0) == 4);
	CHECK(pread(fd, buf, 1, -1) == -EINVAL && pwrite(fd, "x", 1, -4096) == -EINVAL);
	CHECK(pread(fd, buf, 1, (int)0x80000000u) == -EINVAL);
	CHECK(pread(fd, buf, -1, 0) == -EINVAL && pwrite(fd, "x", -5, 0) == -EINVAL);
	CHECK(pread(fd, NULL, 4, 0) == -EFAULT && pread(fd, (char *)main, 4, 0) == -EFAULT);
	CHECK(pread(fd, (char *)0xFFFFF000, 4, 0) == -EFAULT);
	CHECK(pwrite(fd, NULL, 4, 0) == -EFAULT && pwrite(fd, (char *)0x100000, 4, 0) == -EFAULT);
	CHECK(pread(fd, buf, 0, 0) == 0 && pwrite(fd, buf, 0, 0) == 0);
	CHECK(fstat(fd, &st) == 0 && st.size == 4 && lseek(fd, 0, SEEK_CUR) == 0);
	CHECK(pread(fd, buf, 10, 0) == 4 && memcmp(buf, "abcd", 4) == 0);
	/* The packet is five words: one cut short by the end of memory
	 * faults, whatever the words before say. */
	CHECK(new_pages((void *)REGION, PAGE_SIZE) == 0);
	unsigned int *edge = (unsigned int *)(REGION + PAGE_SIZE - 16);
	edge[0] = FS_PREAD, edge[1] = (unsigned)fd, edge[2] = (unsigned)buf, edge[3] = 4;
	CHECK(fs_call(edge) == -EFAULT);
	edge[0] = FS_PWRITE, edge[2] = (unsigned)"WXYZ";
	CHECK(fs_call(edge) == -EFAULT);
	edge = (unsigned int *)(REGION + PAGE_SIZE - 20);
	edge[0] = FS_PWRITE, edge[1] = (unsigned)fd, edge[2] = (unsigned)"WXYZ";
	edge[3] = 2, edge[4] = 1;
	CHECK(fs_call(edge) == 2);
	CHECK(remove_pages((void *)REGION) == 0);
	CHECK(pread(fd, buf, 10, 0) == 4 && memcmp(buf, "aWXd", 4) == 0);
	CHECK(close(fd) == 0 && unlink("/tmp/h") == 0);
}

int main(void)
{
	positions();
	hostile();
	test_done();
}
