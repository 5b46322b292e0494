/*
 * errno.h: the kernel's error codes. System calls return them negated.
 * They are shared with programs, so they live in include/fable/errno.h;
 * the ABI defines no error numbers (docs/abi/README.md §3): programs may
 * only test for < 0, and these distinct values exist for diagnosis.
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#include <fable/errno.h>

#endif
