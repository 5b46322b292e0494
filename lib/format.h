/*
 * format.h: the printf engine, one copy for the kernel's printers and the
 * user library's printf family (lib/format.c, lib/snprintf.c). Pure code
 * (no hardware, no system calls), also built natively for unit tests.
 *
 * Conversions: d i u o x X c s p %, flags - + space # 0, width,
 * precision, *, and length modifiers hh h l ll z (docs/abi/userlib.md
 * §7.2). Widths and precisions above 100,000,000 are clamped.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Called once per output character with the caller's context. */
typedef void (*format_put_t)(void *ctx, char c);

/* Format into put; returns the number of characters produced. */
int vformat(format_put_t put, void *ctx, const char *fmt, va_list ap);

/* Write at most size bytes, the NUL included; return the length the
 * whole output would have had. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));

#endif
