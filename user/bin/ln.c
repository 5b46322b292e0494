/*
 * ln.c: make a link.   ln [-s] TARGET NAME
 * Without -s, NAME becomes another name of the file TARGET (same file
 * system); with -s, NAME is a symbolic link holding the path TARGET.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int sym = argc == 4 && strcmp(argv[1], "-s") == 0;
	if (argc != 3 + sym) {
		printf("usage: ln [-s] TARGET NAME\n");
		return 1;
	}
	const char *target = argv[1 + sym], *name = argv[2 + sym];
	int err = sym ? symlink(target, name) : link(target, name);
	if (err < 0)
		dprintf(2, "ln: %s: cannot make it (error %d)\n", name, err);
	return err < 0;
}
