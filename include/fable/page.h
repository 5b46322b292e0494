/*
 * fable/page.h: the size of a page (docs/abi/memory.md §1), for the
 * kernel (kernel/mm/layout.h) and for programs (<syscall.h>'s PAGE_SIZE,
 * the name the Pebbles interface gives it). Usable from C and assembly.
 */
#ifndef FABLE_PAGE_H
#define FABLE_PAGE_H

#define PAGE_SIZE 0x0001000

#endif /* FABLE_PAGE_H */
