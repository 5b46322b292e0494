/*
 * cat.c: print files, one after the other, on the standard output.
 * "-" (or no name, when the standard input is not the console, as in
 * `ls | cat`) is the standard input. Exit status 0, or 1 if some file
 * could not be read.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 1024

/* Copy descriptor fd to the standard output; 0, or the error. */
static int copy(int fd)
{
	char buf[CHUNK];
	int n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (write(1, buf, n) != n)
			return -EIO;
	return n;
}

static int cat(const char *name)
{
	if (strcmp(name, "-") == 0)
		return copy(0);
	int fd = open(name, O_RDONLY, 0);
	if (fd < 0) {
		dprintf(2, fd == -ENOENT ? "cat: %s: no such file (ls lists the files)\n"
			: "cat: %s: cannot open it\n", name);
		return fd;
	}
	int err = copy(fd);
	if (err < 0)
		dprintf(2, "cat: %s: cannot read it (error %d)\n", name, err);
	close(fd);
	return err;
}

int main(int argc, char *argv[])
{
	fable_stat_t st;
	int status = 0;
	if (argc < 2) {
		if (fstat(0, &st) == 0 && st.type != FT_CONSOLE)
			return copy(0) < 0;
		printf("usage: cat FILE... (- is the standard input)\n");
		return 1;
	}
	for (int i = 1; i < argc; i++)
		if (cat(argv[i]) < 0)
			status = 1;
	return status;
}
