/*
 * hexdump.c: a file (or the standard input) as hex and text, 16 bytes a
 * line, each line starting with its offset in the file.
 */
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

#define PER_LINE 16

static void line(unsigned off, const unsigned char *p, int n)
{
	char text[PER_LINE + 1];
	printf("%08x ", off);
	for (int i = 0; i < PER_LINE; i++) {
		if (i < n)
			printf(" %02x", p[i]);
		else
			printf("   ");
		text[i] = i < n ? (isprint(p[i]) ? (char)p[i] : '.') : 0;
	}
	text[PER_LINE] = 0;
	printf("  |%s|\n", text);
}

int main(int argc, char *argv[])
{
	unsigned char buf[PER_LINE];
	unsigned off = 0;
	int fd = 0, n, have = 0;
	if (argc > 2) {
		printf("usage: hexdump [FILE]\n");
		return 1;
	}
	if (argc == 2 && (fd = open(argv[1], O_RDONLY, 0)) < 0) {
		dprintf(2, "hexdump: %s: cannot read it\n", argv[1]);
		return 1;
	}
	/* Fill whole lines even from a pipe that delivers bytes unevenly. */
	while ((n = read(fd, buf + have, PER_LINE - have)) > 0) {
		have += n;
		if (have == PER_LINE) {
			line(off, buf, have);
			off += have;
			have = 0;
		}
	}
	if (have)
		line(off, buf, have);
	printf("%08x\n", off + have);
	return 0;
}
