/*
 * tmpfs.h: a small writable file system in kernel memory, mounted at
 * /tmp (docs/files.md). Its files vanish at power-off. It is bounded:
 * TMPFS_PAGES_MAX pages of data and TMPFS_NODES_MAX files, directories
 * and links in all, past which calls fail with -ENOSPC; the pages in use
 * are counted in kstat (fs_pages).
 */
#ifndef FS_TMPFS_H
#define FS_TMPFS_H

#include "fs/vfs.h"

#define TMPFS_PAGES_MAX 512	/* 2 MiB of file data */
#define TMPFS_NODES_MAX 1024

/* A new, empty file system, or NULL if kernel memory is short. */
struct fs *tmpfs_create(void);
/* Data pages held by every tmpfs, for kstat. */
uint32_t tmpfs_pages(void);

#endif
