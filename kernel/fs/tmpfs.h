/*
 * tmpfs.h: a small writable file system in kernel memory, mounted at
 * /tmp (docs/files.md). Its files vanish at power-off. It is bounded:
 * TMPFS_PAGES_MAX pages of data and TMPFS_NODES_MAX files, directories
 * and links in all, past which calls fail with -ENOSPC, and files of at
 * most TMPFS_FILE_MAX bytes (-EFBIG); the pages in use are counted in
 * kstat (fs_pages).
 */
#ifndef FS_TMPFS_H
#define FS_TMPFS_H

#include "fs/vfs.h"

#define TMPFS_PAGES_MAX 512	/* 2 MiB of file data */
#define TMPFS_NODES_MAX 1024
/* A file ends below 64 MiB (holes included), so that its array of page
 * pointers stays small (64 KiB): -EFBIG past it. */
#define TMPFS_FILE_MAX (64u << 20)

/* A new, empty file system, or NULL if kernel memory is short. */
struct fs *tmpfs_create(void);
/* Data pages held by every tmpfs, for kstat. */
uint32_t tmpfs_pages(void);

#endif
