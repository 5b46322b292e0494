/*
 * rm.c: remove files (names of them: a file goes with its last name and
 * its last open descriptor).   rm FILE...
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int status = 0;
	if (argc < 2) {
		printf("usage: rm FILE...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		int err = unlink(argv[i]);
		if (err < 0) {
			dprintf(2, "rm: %s: %s (error %d)\n", argv[i],
				err == -EISDIR ? "a directory (rmdir removes those)" : "cannot remove it",
				err);
			status = 1;
		}
	}
	return status;
}
