/*
 * usercopy.c: copy_from_user and friends (see usercopy.h).
 *
 * How every byte gets checked: the bounds check below keeps the copy in
 * user space; there, the MMU checks each access against the page tables,
 * which never allow more than the regions do (CR0.WP makes read-only
 * pages read-only for the kernel too). Anything the page tables do not
 * allow yet faults, and mm/fault.c asks vm_fault, which checks the region
 * and its permissions and either maps the page (the copy resumes) or
 * refuses (the copy returns -EFAULT through the fixup table). So the
 * check and the access are one: no lock is held over the copy, and a
 * concurrent unmap just makes it fail.
 */
#include <stdint.h>
#include "mm/usercopy.h"
#include "mm/layout.h"
#include "lib/errno.h"

int ustrncpy(char *dst, const char *src, size_t max);

/* Bytes from va to the end of the address space (va > 0). */
static size_t room(uintptr_t va)
{
	return UINTPTR_MAX - va + 1;
}

int strncpy_from_user(char *dst, uintptr_t usrc, size_t max)
{
	if (usrc < USER_MEM_START)
		return -EFAULT;
	if (max > INT32_MAX)	/* the length must fit the result */
		max = INT32_MAX;
	int n = ustrncpy(dst, (const char *)usrc, max < room(usrc) ? max : room(usrc));
	if (n == -E2BIG && room(usrc) < max)	/* ran off the top of memory */
		return -EFAULT;
	return n;
}
