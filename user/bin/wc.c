/*
 * wc.c: count the lines, words and bytes of files (or the standard
 * input) and print them as "lines words bytes name".
 */
#include <stdio.h>
#include <unistd.h>

#define CHUNK 1024

/* Count descriptor fd into c[0..2]; 0 or the error. */
static int count(int fd, unsigned *c)
{
	char buf[CHUNK];
	int n, in_word = 0;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (int i = 0; i < n; i++) {
			int space = buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n';
			c[0] += buf[i] == '\n';
			c[1] += !space && !in_word;
			in_word = !space;
		}
		c[2] += n;
	}
	return n;
}

int main(int argc, char *argv[])
{
	unsigned total[3] = { 0, 0, 0 };
	int status = 0;
	if (argc < 2) {
		unsigned c[3] = { 0, 0, 0 };
		if (count(0, c) < 0)
			return 1;
		printf("%u %u %u\n", c[0], c[1], c[2]);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		unsigned c[3] = { 0, 0, 0 };
		int fd = open(argv[i], O_RDONLY, 0);
		if (fd < 0 || count(fd, c) < 0) {
			dprintf(2, "wc: %s: cannot read it\n", argv[i]);
			status = 1;
		} else {
			printf("%u %u %u %s\n", c[0], c[1], c[2], argv[i]);
		}
		if (fd >= 0)
			close(fd);
		for (int k = 0; k < 3; k++)
			total[k] += c[k];
	}
	if (argc > 2)
		printf("%u %u %u total\n", total[0], total[1], total[2]);
	return status;
}
