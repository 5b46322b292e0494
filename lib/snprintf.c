/*
 * snprintf.c: formatting into memory (see format.h), for the kernel and
 * libstdio.a. Never writes past size bytes, and always ends what it wrote
 * with a NUL when size > 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include "format.h"

struct sbuf {
	char *buf;
	size_t size;		/* bytes available, NUL included */
	size_t len;		/* characters produced so far */
};

static void sbuf_put(void *ctx, char c)
{
	struct sbuf *b = ctx;
	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf b = { buf, size, 0 };
	int n = vformat(sbuf_put, &b, fmt, ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = 0;
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
