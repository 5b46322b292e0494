/*
 * printf.c: console output through print(). Output is gathered in a
 * 128-byte buffer on the caller's stack (so concurrent threads do not share
 * one) and handed to print() when full, at every '\n' and before return;
 * a line of up to 127 characters thus appears in one piece. Each print()
 * is far below the kernel's 4096-byte cap.
 */
#include <stdarg.h>
#include <stdio.h>
#include <syscall.h>
#include <unistd.h>
#include "lib/format.h"

#define LINE_BUF 128

struct line {
	int len;
	int fd;		/* -1: print(); else write() to it (dprintf) */
	char data[LINE_BUF];
};

static void flush(struct line *l)
{
	if (l->len && l->fd < 0)
		print(l->len, l->data);
	else if (l->len)
		write(l->fd, l->data, l->len);
	l->len = 0;
}

static void line_put(void *ctx, char c)
{
	struct line *l = ctx;
	l->data[l->len++] = c;
	if (c == '\n' || l->len == LINE_BUF)
		flush(l);
}

int vprintf(const char *format, va_list vl)
{
	struct line l = { .len = 0, .fd = -1 };
	int n = vformat(line_put, &l, format, vl);
	flush(&l);
	return n;
}

int printf(const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	int n = vprintf(format, ap);
	va_end(ap);
	return n;
}

int vdprintf(int fd, const char *format, va_list vl)
{
	struct line l = { .len = 0, .fd = fd };
	int n = vformat(line_put, &l, format, vl);
	flush(&l);
	return n;
}

int dprintf(int fd, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	int n = vdprintf(fd, format, ap);
	va_end(ap);
	return n;
}

/* Prints str and a newline; returns 0. */
int puts(const char *str)
{
	printf("%s\n", str);
	return 0;
}

int putchar(int c)
{
	char ch = (char)c;
	print(1, &ch);
	return (unsigned char)c;
}
