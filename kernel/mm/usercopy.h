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

#include <stddef.h>
#include <stdint.h>

/* 0, or -EFAULT. */
int copy_from_user(void *dst, uintptr_t usrc, size_t n);
int copy_to_user(uintptr_t udst, const void *src, size_t n);
/* Copy a NUL-terminated string of at most max bytes including the NUL:
 * its length, -E2BIG if the first max bytes hold no NUL, or -EFAULT. */
int strncpy_from_user(char *dst, uintptr_t usrc, size_t max);

#endif
