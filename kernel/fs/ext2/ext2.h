/*
 * ext2.h: the second extended file system, revision 1, read-write
 * (docs/files.md, "ext2 on disk").
 */
#ifndef FS_EXT2_EXT2_H
#define FS_EXT2_EXT2_H

#include "dev/blkdev.h"
#include "fs/vfs.h"

/* Mounts the ext2 file system on d: 0 with *out, or -EINVAL (not ext2,
 * or a revision, block size or incompatible feature it does not know),
 * -EIO (damaged: a count, a group descriptor, the root), -ENOMEM.
 * Mounts read-only if readonly, or if the file system has a
 * read-only-compatible feature this code does not know. */
int ext2_mount(struct blkdev *d, bool readonly, struct fs **out);
/* Writes everything back, marks the file system clean and frees it.
 * Only the root may still be referenced (by the mount itself); -EBUSY
 * otherwise, and nothing is done. */
int ext2_unmount(struct fs *fs);
/* The machine is about to stop (halt, poweroff): writes everything back
 * and marks the file system clean, leaving it mounted. 0 or -EIO. A
 * change another thread makes after this reaches the disk only if
 * something writes it later (docs/files.md, "Halt and poweroff"). */
int ext2_shutdown(struct fs *fs);

#endif
