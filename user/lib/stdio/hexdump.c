/*
 * hexdump.c: a debugging aid. Each line shows the address, 16 bytes in
 * hex and the same bytes as text (dots for unprintable ones); a line is
 * built whole, then printed with one call.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>

#define PER_LINE 16

static void dump_line(const unsigned char *p, int n)
{
	char line[16 + 4 * PER_LINE + 8];
	int len = sprintf(line, "%08x:", (unsigned)(uintptr_t)p);
	for (int i = 0; i < PER_LINE; i++)
		len += i < n ? sprintf(line + len, " %02x", p[i]) : sprintf(line + len, "   ");
	len += sprintf(line + len, "  |");
	for (int i = 0; i < n; i++)
		line[len++] = isprint(p[i]) ? (char)p[i] : '.';
	line[len] = 0;
	printf("%s|\n", line);
}

void hexdump(void *buf, int len)
{
	const unsigned char *p = buf;
	for (int off = 0; off < len; off += PER_LINE)
		dump_line(p + off, len - off < PER_LINE ? len - off : PER_LINE);
}
