/*
 * stdio.h: console output through print() (docs/abi/userlib.md §7.2).
 *
 * printf and vprintf gather output in a 128-byte buffer handed to print()
 * when full, at every '\n' and before they return. Conversions: d i u o x
 * X c s p %, flags - + space # 0, width, precision, *, and the length
 * modifiers hh h l ll z. The printf family returns the number of
 * characters produced (snprintf: that it would have produced).
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define __PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))

int putchar(int c);
int puts(const char *str);
int printf(const char *format, ...) __PRINTF(1, 2);
int vprintf(const char *format, va_list vl) __PRINTF(1, 0);
/* printf to descriptor fd with write() (<unistd.h>): dprintf(2, ...) for
 * errors, which a redirected standard output does not swallow. */
int dprintf(int fd, const char *format, ...) __PRINTF(2, 3);
int vdprintf(int fd, const char *format, va_list vl) __PRINTF(2, 0);
int sprintf(char *dest, const char *format, ...) __PRINTF(2, 3);
int snprintf(char *dest, size_t size, const char *format, ...) __PRINTF(3, 4);
int vsprintf(char *dest, const char *format, va_list vl) __PRINTF(2, 0);
int vsnprintf(char *dest, size_t size, const char *format, va_list vl) __PRINTF(3, 0);

/* Conversions d i u o x c s %, widths, h l ll, and * (no assignment).
 * Returns the number of assignments, or -1 if the input ended first. */
int sscanf(const char *str, const char *format, ...)
	__attribute__((__format__(__scanf__, 2, 3)));

/* Print len bytes at buf as hex and ASCII, 16 per line. */
void hexdump(void *buf, int len);

#endif /* _STDIO_H */
