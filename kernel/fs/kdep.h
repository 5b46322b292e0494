/*
 * kdep.h: everything the block cache (fs/bcache.c) and ext2 (fs/ext2/)
 * use of the rest of the kernel, in one place: sleeping locks and
 * condition variables, kernel memory, the log, memory routines, the
 * clock, the copy out to user memory. The native unit tests (tests/unit/fs_native.h) define this
 * header's guard and give the same names host meanings (pthreads,
 * malloc), so the very same file-system code runs under ASan and UBSan.
 */
#ifndef FS_KDEP_H
#define FS_KDEP_H

#include "debug/debug.h"
#include "dev/rtc.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "sync/cond.h"
#include "sync/mutex.h"

#endif
