/*
 * cp.c: copy a file.   cp FROM TO
 * TO is made or emptied first; a directory TO receives FROM's last name.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096

/* TO, or TO/basename(FROM) when TO is a directory, into out. */
static void target(const char *from, const char *to, char *out, int size)
{
	fable_stat_t st;
	const char *base = strrchr(from, '/');
	if (stat(to, &st) == 0 && st.type == FT_DIR)
		snprintf(out, size, "%s/%s", to, base ? base + 1 : from);
	else
		snprintf(out, size, "%s", to);
}

int main(int argc, char *argv[])
{
	static char buf[CHUNK];
	char to[FS_PATH_MAX];
	int n;
	if (argc != 3) {
		printf("usage: cp FROM TO\n");
		return 1;
	}
	int in = open(argv[1], O_RDONLY, 0);
	if (in < 0) {
		dprintf(2, "cp: %s: cannot read it (error %d)\n", argv[1], in);
		return 1;
	}
	target(argv[1], argv[2], to, sizeof to);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		dprintf(2, "cp: %s: cannot write it (error %d)\n", to, out);
		return 1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0) {
		int w = write(out, buf, n);
		if (w != n) {
			dprintf(2, "cp: %s: write failed (error %d)\n", to, w);
			return 1;
		}
	}
	if (n < 0)
		dprintf(2, "cp: %s: read failed (error %d)\n", argv[1], n);
	return n < 0 || close(out) < 0;
}
