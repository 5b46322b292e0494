/* secure_exec.c: exec of a program with one byte changed (docs/secure-boot.md).
 *
 * A copy of `true` in /tmp runs like the RAM disk's own; with one byte
 * changed (in the ELF header's padding, which no loader reads) it runs
 * only while the kernel was booted without secure=1, and with secure=1
 * exec refuses it with -EUNTRUSTED. Putting the byte back makes it
 * trusted again, and a truncate is seen too: exec's cached digest of a
 * file is forgotten whenever the file changes. With the argument
 * "secure", the test expects the kernel to enforce (tests/cases_secure.py
 * boots it so, with the build's manifest); without it, not to. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define COPY "/tmp/secure_exec.true"
#define PAD 10		/* an EI_PAD byte of e_ident */

static char image[256 << 10];

/* Run path in a child: 0 if it ran and exited 0, else exec's error
 * (negated back to positive) as the child's status. */
static int run(char *path)
{
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { path, NULL };
		exit(-exec(path, argv));
	}
	int status = -1;
	CHECK(pid > 0 && wait(&status) == pid);
	return status;
}

/* Write n bytes at off of the copy (O_TRUNC first if trunc). */
static void put(int off, const void *buf, int n, int trunc)
{
	int fd = open(COPY, O_WRONLY | O_CREAT | (trunc ? O_TRUNC : 0), 0755);
	CHECK(fd >= 0);
	CHECK(lseek(fd, off, 0) == off);
	CHECK(write(fd, buf, n) == n);
	CHECK(close(fd) == 0);
}

int main(int argc, char *argv[])
{
	int secure = argc > 1 && strcmp(argv[1], "secure") == 0;
	int n = readfile("true", image, sizeof image, 0);
	CHECK(n > PAD && n < (int)sizeof image);
	put(0, image, n, 1);

	CHECK(run("true") == 0);		/* the RAM disk's, in the manifest */
	CHECK(run(COPY) == 0);			/* the same bytes in /tmp */
	CHECK(run(COPY) == 0);			/* again: the cached digest */

	char changed = image[PAD] ^ 0x5a;
	put(PAD, &changed, 1, 0);
	CHECK(run(COPY) == (secure ? EUNTRUSTED : 0));
	CHECK(run(COPY) == (secure ? EUNTRUSTED : 0));	/* refused every time */
	put(PAD, &image[PAD], 1, 0);
	CHECK(run(COPY) == 0);			/* the byte back: trusted again */

	int pfd = open(COPY, O_WRONLY, 0);	/* pwrite forgets the digest too */
	CHECK(pfd >= 0 && pwrite(pfd, &changed, 1, PAD) == 1 && close(pfd) == 0);
	CHECK(run(COPY) == (secure ? EUNTRUSTED : 0));
	put(PAD, &image[PAD], 1, 0);
	CHECK(run(COPY) == 0);

	int fd = open(COPY, O_WRONLY | O_TRUNC, 0);	/* truncated, nothing written */
	CHECK(fd >= 0 && close(fd) == 0);
	CHECK(run(COPY) == (secure ? EUNTRUSTED : ENOEXEC));
	CHECK(unlink(COPY) == 0);
	tprintf("secure_exec: %s\n", secure ? "enforced" : "not enforced");
	test_done();
}
