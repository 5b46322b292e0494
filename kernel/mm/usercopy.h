/*
 * usercopy.h: safe access to the current task's user memory.
 *
 * Every byte is checked against the current address space (vm_current())
 * and its permissions: it must lie in user space (at or above
 * USER_MEM_START), in a region, and - for output - in a writable region
 * (a read-only page is no output buffer). These calls never crash the
 * kernel on a bad pointer, even when another thread of the task unmaps
 * the memory during the copy: they return -EFAULT. Holding the current
 * address space's lock while calling them deadlocks (a fault takes it).
 * Output after an error may be partly written.
 */
#ifndef MM_USERCOPY_H
#define MM_USERCOPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/errno.h"
#include "mm/layout.h"

/* The copy itself (usercopy.S): 0, or -EFAULT through its fixup. */
int ucopy(void *dst, const void *src, size_t n);
/* n pieces of each bytes (a multiple of 4) from srcs[0], srcs[1], ...,
 * one after another to dst, in one call: 0, or -EFAULT (how far it got
 * is not told). Callers check the range as ucopy's do. */
int ucopy_gather(void *dst, const void *const *srcs, size_t n, size_t each);

/* Does [va, va + n) start in user space and not wrap? The MMU and the
 * fault handler check the rest, byte by byte, as the copy goes. */
static inline bool user_span_ok(uintptr_t va, size_t n)
{
	return __builtin_expect(va >= USER_MEM_START && n <= UINTPTR_MAX - va + 1, 1);
}

/* 0, or -EFAULT. Inline: every system call with a buffer or a packet
 * makes one or two (docs/performance.md). */
static inline int copy_from_user(void *dst, uintptr_t usrc, size_t n)
{
	return user_span_ok(usrc, n) ? ucopy(dst, (const void *)usrc, n) : -EFAULT;
}

static inline int copy_to_user(uintptr_t udst, const void *src, size_t n)
{
	return user_span_ok(udst, n) ? ucopy((void *)udst, src, n) : -EFAULT;
}
/* Copy a NUL-terminated string of at most max bytes including the NUL:
 * its length, -E2BIG if the first max bytes hold no NUL, or -EFAULT. */
int strncpy_from_user(char *dst, uintptr_t usrc, size_t max);

#endif
