/*
 * mount.c: the disk at the root, and its write-back when the machine
 * stops (see mount.h, docs/files.md).
 *
 * Lock tags (docs/sync.md): [b] boot (set before any task runs).
 */
#include "fs/mount.h"
#include "fs/ext2/ext2.h"
#include "fs/path.h"
#include "lib/errno.h"
#include "lib/kprintf.h"

static struct fs *disk_fs;	/* [b] the disk's file system, or NULL */

void files_mount_disk(struct blkdev *d)
{
	struct fs *fs;
	int err = ext2_mount(d, false, &fs);
	if (err == -EINVAL) {
		klog(LOG_WARN, "fs: %s: no ext2 file system this kernel can mount (magic, "
		     "revision, block size or an incompatible feature); booting without it",
		     d->name);
		return;
	}
	if (err < 0) {
		klog(LOG_ERR, "fs: %s: the ext2 file system is %s (error %d); booting without it",
		     d->name, err == -ENOMEM ? "too large for kernel memory" : "damaged", err);
		return;
	}
	err = vfs_push_root(fs, "ext2", "rd");
	if (err < 0) {
		klog(LOG_ERR, "fs: %s: no room in the mount table (error %d)", d->name, err);
		ext2_unmount(fs);
		return;
	}
	disk_fs = fs;
	klog(LOG_INFO, "fs: %s mounted at / (ext2, %s); the RAM disk at /rd", d->name,
	     fs->readonly ? "read-only" : "read-write");
}

/* dev/power.c, on halt and poweroff: the block cache's dirty buffers go
 * to the disk, which is then marked clean. */
void files_shutdown(void)
{
	int err = vfs_sync_all();
	if (disk_fs && !err)
		err = ext2_shutdown(disk_fs);
	if (err < 0)
		klog(LOG_ERR, "fs: writing back before the machine stops failed (error %d)", err);
}
