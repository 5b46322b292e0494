/*
 * format.h: printf-style formatting, shared by every kernel printer.
 * Pure code (no hardware), also built natively for unit tests.
 *
 * Conversions: d i u o x X c s p %, flags - + space # 0, width,
 * precision, *, and length modifiers hh h l ll z.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Called once per output character with the caller's context. */
typedef void (*format_put_t)(void *ctx, char c);

/* Format into put; returns the number of characters produced. */
int vformat(format_put_t put, void *ctx, const char *fmt, va_list ap);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
