/*
 * heap.c: where the allocator's memory comes from (docs/abi/userlib.md §6.2).
 * The heap starts at the first page boundary at or above _end + PAGE_SIZE
 * (the linker's end of bss) and grows upward a page at a time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <syscall.h>
#include "heap.h"

extern char _end[];

char *heap_base(void)
{
	uintptr_t start = (uintptr_t)_end + PAGE_SIZE;
	return (char *)((start + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1));
}

int heap_map_page(char *addr)
{
	return new_pages(addr, HEAP_PAGE);
}

void heap_corrupt(const char *op, void *ptr)
{
	panic("%s(%p): not a live block from malloc (freed twice, or corrupt heap)", op, ptr);
}
