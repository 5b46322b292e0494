/* runner: driven=mount_fsync_crash */
/*
 * fsync_crash.c: the guest's half of the crash test (tests/cases_mount.py).
 *   fsync_crash DIR SEED
 * Writes files DIR/f0, DIR/f1, ... of sizes and bytes drawn from SEED,
 * fsyncs each and then prints "FSYNCED name size"; meanwhile it renames,
 * truncates and removes earlier unsynced scratch files, so that the host's
 * kill -9 lands in the middle of every kind of change. It runs until
 * killed. The host checks that each file it saw fsynced reads back whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF 4096

static unsigned seed;

static unsigned next(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

/* Byte i of file n: what the host computes too. */
static unsigned char byte(unsigned n, unsigned i)
{
	unsigned x = (i + 1) * 2654435761u ^ (n + 1) * 40503u;
	return (unsigned char)(x >> 13 ^ x);
}

static int write_file(const char *path, unsigned n, unsigned size, int do_fsync)
{
	static unsigned char buf[BUF];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fd;
	for (unsigned off = 0; off < size; off += BUF) {
		unsigned m = size - off < BUF ? size - off : BUF;
		for (unsigned i = 0; i < m; i++)
			buf[i] = byte(n, off + i);
		if (write(fd, buf, (int)m) != (int)m) {
			close(fd);
			return -1;
		}
	}
	int err = do_fsync ? fsync(fd) : 0;
	close(fd);
	return err;
}

int main(int argc, char *argv[])
{
	char path[256], other[256];
	if (argc != 3) {
		printf("usage: fsync_crash DIR SEED\n");
		return 2;
	}
	seed = (unsigned)strtoul(argv[2], NULL, 10);
	mkdir(argv[1], 0755);
	for (unsigned n = 0;; n++) {
		unsigned size = next() % 200000;
		snprintf(path, sizeof path, "%s/f%u", argv[1], n);
		if (write_file(path, n, size, 1) < 0) {
			printf("FAILED %s\n", path);
			return 1;
		}
		printf("FSYNCED f%u %u\n", n, size);
		/* Scratch work that is never fsynced: the kill may cut it. */
		snprintf(path, sizeof path, "%s/s%u", argv[1], n % 4);
		snprintf(other, sizeof other, "%s/t%u", argv[1], n % 4);
		write_file(path, n + 1000, next() % 50000, 0);
		rename(path, other);
		if (n % 3 == 0)
			unlink(other);
		snprintf(path, sizeof path, "%s/d%u", argv[1], n % 5);
		if (mkdir(path, 0755) < 0)
			rmdir(path);
	}
}
