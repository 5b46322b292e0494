/*
 * errno.h: the error codes system calls return, negated (a call's result
 * is -EBADF, say; there is no errno variable). Defined once, with the
 * kernel, in <fable/errno.h> (docs/abi/README.md §3).
 */
#ifndef _ERRNO_H
#define _ERRNO_H

#include <fable/errno.h>

#endif /* _ERRNO_H */
