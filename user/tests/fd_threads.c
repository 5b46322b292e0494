/* runner: timeout=60 */
/* fd_threads.c: threads of one task share its descriptors. Four threads
 * reading one shared descriptor a byte at a time get every byte of the
 * file exactly once between them (the offset moves once per read);
 * threads that open, read, dup2 and close at once in one table leave no
 * open file behind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <unistd.h>
#include "testlib.h"

#define NTHREADS 4
#define SIZE 2000
#define ROUNDS 200
#define PATH "/tmp/fd_threads"

static int shared_fd;
static int seen[SIZE];

static void *reader(void *arg)
{
	unsigned char c[2];
	(void)arg;
	/* The file is SIZE two-byte records, each its own number: a
	 * record read twice, or torn between two reads, shows. */
	int n;
	while ((n = read(shared_fd, c, 2)) == 2) {
		int off = c[0] | (c[1] << 8);
		if (off >= 0 && off < SIZE)
			__sync_fetch_and_add(&seen[off], 1);
	}
	return (void *)(long)(n == 0 ? 0 : 1);
}

/* Open, read, dup2 over the thread's own spare descriptor (which drops
 * what it named), close: over and over, beside the other threads. */
static void *churner(void *arg)
{
	int spare = 10 + (int)(long)arg, bad = 0;
	char b[8];
	for (int i = 0; i < ROUNDS; i++) {
		int fd = open("/readme.txt", O_RDONLY, 0);
		if (fd < 0) {
			bad += fd != -EMFILE;
			continue;
		}
		bad += read(fd, b, sizeof b) != sizeof b;
		bad += dup2(fd, spare) != spare;
		bad += close(fd) != 0;
	}
	close(spare);
	return (void *)(long)bad;
}

int main(void)
{
	static unsigned char data[SIZE * 2];
	kstat_t k = { .size = sizeof k };
	void *ret;
	int tids[NTHREADS], fd = open(PATH, O_CREAT | O_TRUNC | O_RDWR, 0644);
	for (int i = 0; i < SIZE; i++)
		data[2 * i] = i & 0xFF, data[2 * i + 1] = i >> 8;
	CHECK(fd >= 0 && write(fd, data, sizeof data) == sizeof data && lseek(fd, 0, SEEK_SET) == 0);
	shared_fd = fd;
	CHECK(thr_init(8192) == 0);
	for (int i = 0; i < NTHREADS; i++)
		tids[i] = thr_create(reader, NULL);
	for (int i = 0; i < NTHREADS; i++)
		CHECK(thr_join(tids[i], &ret) == 0 && ret == NULL);
	int once = 1;
	for (int i = 0; i < SIZE; i++)
		once &= seen[i] == 1;
	CHECK(once);
	CHECK(close(fd) == 0 && unlink(PATH) == 0);
	CHECK(kstat(&k) == 0);
	unsigned files = k.open_files;
	for (int i = 0; i < NTHREADS; i++)
		tids[i] = thr_create(churner, (void *)(long)i);
	for (int i = 0; i < NTHREADS; i++)
		CHECK(thr_join(tids[i], &ret) == 0 && ret == NULL);
	CHECK(kstat(&k) == 0 && k.open_files == files);
	test_done();
}
