/*
 * mount.h: the disk in the name space (docs/files.md, "The mount table").
 *
 * Without a disk the name space is files_init()'s: the RAM disk at /, a
 * tmpfs at /tmp. With one holding ext2, the disk becomes the root, the
 * RAM disk moves to /rd and /tmp stays /tmp. files_shutdown(), the
 * write-back before the machine stops, is an upcall (upcall.h).
 */
#ifndef FS_MOUNT_H
#define FS_MOUNT_H

#include "dev/blkdev.h"
#include "upcall.h"

/* Boot, in a thread (the disk's transfers sleep), before any task runs:
 * mounts the ext2 file system on d at /, read-write unless its features
 * forbid it. A disk without ext2, or a damaged one, is left alone, with a
 * log line saying why; the name space is then files_init()'s. */
void files_mount_disk(struct blkdev *d);

#endif
