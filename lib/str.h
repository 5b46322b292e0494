/*
 * str.h: the string routines the kernel and the user library share
 * (lib/str.c), with C's contracts. The kernel gets them through
 * lib/string.h, user programs through <string.h>, which declares them
 * itself (programs see only the user include directory).
 */
#ifndef LIB_STR_H
#define LIB_STR_H

#include <stddef.h>

size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif
