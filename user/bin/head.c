/*
 * head.c: the first lines of a file or of the standard input.
 *   head [-n N] [FILE]     (N is 10 unless given)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int lines = 10, arg = 1, fd = 0;
	char c;
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		lines = atoi(argv[2]);
		arg = 3;
	}
	if (argc > arg + 1 || lines < 0) {
		printf("usage: head [-n N] [FILE]\n");
		return 1;
	}
	if (arg < argc && (fd = open(argv[arg], O_RDONLY, 0)) < 0) {
		dprintf(2, "head: %s: cannot read it\n", argv[arg]);
		return 1;
	}
	/* A byte at a time: head stops at the line it wants, and leaves the
	 * rest of a pipe unread. */
	while (lines > 0 && read(fd, &c, 1) == 1) {
		write(1, &c, 1);
		lines -= c == '\n';
	}
	return 0;
}
