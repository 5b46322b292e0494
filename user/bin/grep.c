/*
 * grep.c: print the lines that contain a fixed string.
 *   grep [-v] [-c] STRING [FILE...]   (the standard input with no FILE)
 * -v prints the lines that do not, -c only counts. Exit status 0 if a
 * line was selected, 1 if none was, 2 on an error.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LINE 1024

static int invert, count_only;

/* Does line (len bytes) contain s? */
static int contains(const char *line, int len, const char *s)
{
	int n = strlen(s);
	for (int i = 0; i + n <= len; i++)
		if (memcmp(line + i, s, n) == 0)
			return 1;
	return 0;
}

/* The lines of fd that match: their number. A line longer than LINE is
 * taken in pieces. */
static int grep(int fd, const char *s, const char *name)
{
	static char line[LINE];
	int len = 0, matched = 0, n;
	char c;
	do {
		n = read(fd, &c, 1);
		if (n == 1)
			line[len++] = c;
		if (len > 0 && (n != 1 || c == '\n' || len == LINE)) {
			if (contains(line, len, s) != invert) {
				matched++;
				if (!count_only && name)
					printf("%s:", name);
				if (!count_only)
					write(1, line, len);
				if (!count_only && line[len - 1] != '\n')
					write(1, "\n", 1);
			}
			len = 0;
		}
	} while (n == 1);
	return matched;
}

int main(int argc, char *argv[])
{
	int arg = 1, matched = 0;
	for (; arg < argc && argv[arg][0] == '-' && argv[arg][1]; arg++) {
		if (strcmp(argv[arg], "-v") == 0)
			invert = 1;
		else if (strcmp(argv[arg], "-c") == 0)
			count_only = 1;
		else
			break;
	}
	if (arg >= argc) {
		printf("usage: grep [-v] [-c] STRING [FILE...]\n");
		return 2;
	}
	const char *s = argv[arg++];
	if (arg == argc)
		matched = grep(0, s, NULL);
	for (int i = arg; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY, 0);
		if (fd < 0) {
			dprintf(2, "grep: %s: cannot read it\n", argv[i]);
			return 2;
		}
		matched += grep(fd, s, argc - arg > 1 ? argv[i] : NULL);
		close(fd);
	}
	if (count_only)
		printf("%d\n", matched);
	return matched ? 0 : 1;
}
