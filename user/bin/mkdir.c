/*
 * mkdir.c: make directories.   mkdir DIR...
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int status = 0;
	if (argc < 2) {
		printf("usage: mkdir DIR...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		int err = mkdir(argv[i], 0755);
		if (err < 0) {
			dprintf(2, "mkdir: %s: cannot make it (error %d)\n", argv[i], err);
			status = 1;
		}
	}
	return status;
}
