/*
 * fmt.h: the printf engine shared by the printf family (libstdio.a only).
 * Pure code: it produces characters through a callback and nothing else.
 */
#ifndef USER_STDIO_FMT_H
#define USER_STDIO_FMT_H

#include <stdarg.h>

/* Receives each output character, with the caller's context. */
typedef void (*fmt_put_t)(void *ctx, char c);

/* Format as printf does (stdio.h lists the conversions); returns the
 * number of characters produced. */
int fmt_vformat(fmt_put_t put, void *ctx, const char *fmt, va_list ap);

#endif
