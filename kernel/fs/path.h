/*
 * path.h: the mount table and the path walk (fs/vfs.c, docs/files.md).
 *
 * A mount puts a file system's root under a name in a directory of
 * another (the root file system has none). The names are the VFS's own:
 * the directory need not hold an entry of that name, so a read-only RAM
 * disk can carry /tmp. Mounts are made at boot, before any task runs,
 * and never change after.
 *
 * A path is at most FS_PATH_MAX bytes with its NUL, each component at
 * most VFS_NAME_MAX; it is walked from the root ('/...') or from a
 * directory the caller holds (the task's current one), one component at
 * a time: '.', '..' (which climbs out of a mounted root), and symbolic
 * links, at most VFS_SYMLINK_MAX of them per walk (-ELOOP).
 */
#ifndef FS_PATH_H
#define FS_PATH_H

#include "fs/vfs.h"
#include <fable/fs.h>

#define VFS_SYMLINK_MAX 8
#define VFS_MOUNTS 8

/* Boot: make fs the root file system. */
void vfs_mount_root(struct fs *fs, const char *type);
/* Boot: mount fs as name in the directory at dirpath. 0 or an error. */
int vfs_mount(const char *dirpath, const char *name, struct fs *fs, const char *type);
/* Boot: make fs the root file system; the old root is mounted as name
 * in it, and the mounts that were in the old root's directory are in
 * fs's root now (so /tmp stays /tmp). 0 or -EBUSY (the table is full). */
int vfs_push_root(struct fs *fs, const char *type, const char *name);
/* The root directory, referenced. */
struct vnode *vfs_root(void);
/* stat's dev for fs: its place in the mount table, from 1. */
uint32_t vfs_dev(const struct fs *fs);
/* Describe mount i; false past the last. */
bool vfs_mount_info(int i, struct fable_mount *out);
/* Write back every mounted file system: 0 or the first error. */
int vfs_sync_all(void);
/* Mount k (from 0) among those whose names are in directory dir and
 * are not also entries of dir's file system, as a directory entry;
 * false past the last. For readdir, after the file system's own. */
bool vfs_mount_entry(struct vnode *dir, uint32_t k, struct vdirent *d);
/* Is name a mount point in dir? */
bool vfs_is_mount(struct vnode *dir, const char *name, size_t len);

/*
 * Resolve path (a NUL-terminated kernel string) starting at cwd (held by
 * the caller; used for a relative path). *out gets a reference. follow:
 * whether a symbolic link as the last component is followed. canon, if
 * not NULL, is a FS_PATH_MAX buffer holding cwd's absolute path on entry
 * and out's (no '.', '..' or links) on return.
 */
int vfs_namei(struct vnode *cwd, const char *path, bool follow, struct vnode **out,
	      char *canon);
/*
 * Resolve all but the last component: *dir gets a referenced directory,
 * (*name, *len) the last component, pointing into path. -EINVAL if the
 * path has no last component that can be created or removed ("/", ".",
 * "..", "a/.."); trailing slashes are allowed.
 */
int vfs_namei_parent(struct vnode *cwd, const char *path, struct vnode **dir,
		     const char **name, size_t *len);

#endif
