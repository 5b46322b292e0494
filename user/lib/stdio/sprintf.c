/*
 * sprintf.c: formatting into memory. snprintf and vsnprintf write at most
 * size bytes including the NUL and return the length the whole output
 * would have had; sprintf and vsprintf trust the caller's buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "fmt.h"

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

int vsnprintf(char *dest, size_t size, const char *format, va_list vl)
{
	struct sbuf b = { dest, size, 0 };
	int n = fmt_vformat(sbuf_put, &b, format, vl);
	if (size)
		dest[b.len < size ? b.len : size - 1] = 0;
	return n;
}

int vsprintf(char *dest, const char *format, va_list vl)
{
	return vsnprintf(dest, (size_t)-1, format, vl);
}

int snprintf(char *dest, size_t size, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	int n = vsnprintf(dest, size, format, ap);
	va_end(ap);
	return n;
}

int sprintf(char *dest, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	int n = vsnprintf(dest, (size_t)-1, format, ap);
	va_end(ap);
	return n;
}
