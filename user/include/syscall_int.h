/*
 * syscall_int.h: the software-interrupt vector of every system call
 * (docs/abi/README.md §7). The vectors are the kernel's too: they are
 * defined once, in <fable/syscall_int.h>. Macros only, so that assembly
 * can use it.
 */
#ifndef _SYSCALL_INT_H
#define _SYSCALL_INT_H

#include <fable/syscall_int.h>

#endif /* _SYSCALL_INT_H */
