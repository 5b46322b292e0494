/*
 * cat.c: print RAM-disk files on the console, one after the other.
 * Exit status 0, or 1 if some file could not be read.
 */
#include <stdio.h>
#include <syscall.h>

#define CHUNK 1024	/* one readfile and one print at a time */

/* Print file name; 0, or -1 if it cannot be read. */
static int cat(char *name)
{
	char buf[CHUNK];
	int n, off = 0;
	while ((n = readfile(name, buf, sizeof buf, off)) > 0) {
		print(n, buf);
		off += n;
	}
	if (n < 0)
		printf("cat: %s: no such file (ls lists the files)\n", name);
	return n < 0 ? -1 : 0;
}

int main(int argc, char *argv[])
{
	int status = 0;
	if (argc < 2) {
		printf("usage: cat FILE...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++)
		if (cat(argv[i]) < 0)
			status = 1;
	return status;
}
