/*
 * heap.h: what the allocator (malloc.c, pure code) needs from its
 * surroundings. heap.c provides it with new_pages and panic; the native
 * unit test provides it with a host buffer.
 */
#ifndef USER_MALLOC_HEAP_H
#define USER_MALLOC_HEAP_H

#define HEAP_PAGE 4096

/* The first address the heap may use: page-aligned. */
char *heap_base(void);

/* Map the page at addr, zero-filled. Returns 0, or negative if the page
 * is taken or memory has run out. */
int heap_map_page(char *addr);

/* A pointer given to free or realloc is not a live block: stop. */
void heap_corrupt(const char *op, void *ptr) __attribute__((__noreturn__));

#endif
