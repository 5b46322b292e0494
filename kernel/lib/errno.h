/*
 * errno.h: the kernel's error codes. System calls return them negated.
 * The ABI defines no error numbers (docs/abi/README.md §3): programs may only
 * test for < 0; these distinct values exist for diagnosis.
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#define EFAULT   1	/* bad user pointer */
#define EINVAL   2	/* bad argument value */
#define ENOMEM   3	/* out of frames or kernel memory */
#define ENOENT   4	/* no such file */
#define ENOEXEC  5	/* not a valid executable */
#define E2BIG    6	/* argument list or name too long */
#define ESRCH    7	/* no such thread */
#define ECHILD   8	/* no child to wait for */
#define EEXIST   9	/* overlaps something that exists */
#define EBUSY   10	/* the operation is refused in the current state */
#define ENOSYS  11	/* not a system call */
#define EPERM   12	/* not allowed */
#define EINTR   13	/* the thread is being killed */

#endif
