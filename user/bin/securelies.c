/*
 * securelies.c: the lie "the program I run is the program I was given"
 * (docs/secure-boot.md). Run from the signed image (make iso SIGNED=1,
 * whose kernel has secure=1), it runs a program of the manifest, then a
 * copy of it with one byte changed, which exec refuses; booted without
 * secure=1, the copy runs, as any program does. The third step of the
 * story, an unsigned kernel that GRUB will not boot, cannot be shown from
 * inside a running kernel: the host's tests do it (tests/cases_secure.py,
 * secure_unsigned_kernel) and the chapter tells it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <unistd.h>

#define COPY "/tmp/securelies.true"

static char image[256 << 10];

/* Run path in a child task: 0 if it ran and exited 0, or exec's error. */
static int run(char *path)
{
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { path, NULL };
		exit(-exec(path, argv));
	}
	int status = -1;
	if (pid < 0 || wait(&status) != pid)
		return -1;
	return status;
}

static void say(const char *what, int r)
{
	if (r == 0)
		printf("  %-44s ran\n", what);
	else if (r == EUNTRUSTED)
		printf("  %-44s refused: -EUNTRUSTED\n", what);
	else
		printf("  %-44s failed: %d\n", what, -r);
}

int main(void)
{
	int n = readfile("true", image, sizeof image, 0);
	if (n <= 16 || n >= (int)sizeof image) {
		printf("securelies: cannot read the RAM disk's true\n");
		return 1;
	}
	image[10] ^= 0x5a;	/* e_ident's padding: no loader reads it */
	int fd = open(COPY, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, image, n) != n || close(fd) < 0) {
		printf("securelies: cannot write %s\n", COPY);
		return 1;
	}
	printf("securelies: exec checks each program's SHA-256 against the signed manifest\n");
	say("true (the RAM disk's, in the manifest)", run("true"));
	int r = run(COPY);
	say(COPY " (one byte changed)", r);
	unlink(COPY);
	if (r == EUNTRUSTED)
		printf("securelies: secure=1: only the manifest's programs run\n");
	else
		printf("securelies: booted without secure=1: every program runs "
		       "(make iso SIGNED=1 builds the image that enforces)\n");
	printf("securelies: a kernel changed by one byte never gets here: GRUB refuses it "
	       "(docs/secure-boot.md)\n");
	return 0;
}
