/*
 * malloc.h: the allocator (docs/abi/userlib.md §6.1). malloc & co. are
 * thread-safe (libthread.a wraps the others in a mutex); _malloc & co. are
 * the unlocked allocator for programs that never create threads.
 * Blocks are 8-byte aligned; malloc(0) returns a unique pointer;
 * realloc(buf, 0) frees buf and returns NULL.
 */
#ifndef _MALLOC_H
#define _MALLOC_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t nelt, size_t eltsize);
void *realloc(void *buf, size_t new_size);
void free(void *buf);

void *_malloc(size_t size);
void *_calloc(size_t nelt, size_t eltsize);
void *_realloc(void *buf, size_t new_size);
void _free(void *buf);

#endif /* _MALLOC_H */
