/*
 * ramfs.h: the RAM disk (dev/ramdisk.h) as a read-only file system: one
 * directory holding every file of the disk but its listing '.'
 * (docs/files.md).
 */
#ifndef FS_RAMFS_H
#define FS_RAMFS_H

#include "fs/vfs.h"

/* The file system, or NULL if kernel memory is short (boot). */
struct fs *ramfs_create(void);

#endif
