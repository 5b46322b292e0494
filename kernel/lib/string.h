/* string.h: the kernel's memory and string routines (see string.c), and
 * those it shares with the user library (lib/str.h). */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stddef.h>
#include "lib/str.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strnlen(const char *s, size_t max);
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
