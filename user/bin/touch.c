/*
 * touch.c: make each file exist (empty if it did not).   touch FILE...
 * There is no call to set a file's times yet, so an existing file is
 * left as it is.
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int status = 0;
	if (argc < 2) {
		printf("usage: touch FILE...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_WRONLY | O_CREAT, 0644);
		if (fd < 0) {
			dprintf(2, "touch: %s: cannot make it (error %d)\n", argv[i], fd);
			status = 1;
		} else {
			close(fd);
		}
	}
	return status;
}
