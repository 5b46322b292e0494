/* stdlib.h: numbers, sorting, exit and panic (docs/abi/userlib.md §6.3, §7.1). */
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

/* Ends the task with this status: task_vanish(status). */
void exit(int status) __attribute__((__noreturn__));

long atol(const char *str);
#define atoi(str) ((int)atol(str))
/* Out-of-range values saturate at LONG_MIN/LONG_MAX (ULONG_MAX). */
long strtol(const char *p, char **out_p, int base);
unsigned long strtoul(const char *p, char **out_p, int base);

#define RAND_MAX ((signed int)0x7fffffff)
int rand(void);			/* 0..RAND_MAX */
void srand(unsigned new_seed);

int abs(int val);
/* Sort n elements of es bytes at a; cmp returns <0, 0 or >0. */
void qsort(void *a, size_t n, size_t es, int (*cmp)(char *, char *));

/* Print the message on the console and the debug log, then end the task
 * with task_vanish(-1). */
void panic(const char *fmt, ...)
	__attribute__((__noreturn__, __format__(__printf__, 1, 2)));

/* The thread-safe allocator, as in malloc.h (Fable's choice). */
void *malloc(size_t size);
void *calloc(size_t nelt, size_t eltsize);
void *realloc(void *buf, size_t new_size);
void free(void *buf);

#endif /* _STDLIB_H */
