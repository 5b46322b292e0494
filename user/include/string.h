/*
 * string.h: strings and memory (docs/abi/userlib.md §7.1). The odd parameter
 * types (int size for memcmp, unsigned int n) are the Pebbles ones; compile
 * with -fno-builtin so gcc does not compare them with its built-ins.
 */
#ifndef _STRING_H
#define _STRING_H

#include <stddef.h>

size_t strlen(const char *s);
char *strcpy(char *dest, const char *src);
char *strncpy(char *dest, const char *src, size_t n);
char *strdup(const char *s);	/* malloc'ed copy, NULL if out of memory */
char *strcat(char *dest, const char *src);
char *strncat(char *dest, const char *src, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strtok(char *s, const char *delim);
char *strpbrk(const char *s1, const char *s2);
size_t strspn(const char *s1, const char *s2);
size_t strcspn(const char *s1, const char *s2);

void *memset(void *to, int ch, unsigned int n);
int memcmp(const void *s1v, const void *s2v, int size);
void *memcpy(void *to, const void *from, unsigned int n);
void *memmove(void *to, const void *from, unsigned int n);

char *index(const char *s, int c);
char *rindex(const char *s, int c);
void bcopy(const void *from, void *to, unsigned int n);
void bzero(void *to, unsigned int n);

#endif /* _STRING_H */
