/*
 * rmdir.c: remove empty directories.   rmdir DIR...
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int status = 0;
	if (argc < 2) {
		printf("usage: rmdir DIR...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		int err = rmdir(argv[i]);
		if (err < 0) {
			dprintf(2, "rmdir: %s: %s (error %d)\n", argv[i],
				err == -ENOTEMPTY ? "not empty" : "cannot remove it", err);
			status = 1;
		}
	}
	return status;
}
