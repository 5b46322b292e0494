/*
 * blkdev.h: a block device, as the layers above the drivers see it
 * (docs/storage.md). A driver (dev/ata.c) fills in one struct blkdev per
 * disk it finds and registers it; the block cache (fs/bcache.c) is its
 * only user. Transfers are in 512-byte sectors and sleep until done.
 *
 * Lock tags (docs/sync.md): [c] constant once registered.
 */
#ifndef DEV_BLKDEV_H
#define DEV_BLKDEV_H

#include <stdbool.h>
#include <stdint.h>

#define SECTOR_SIZE	512
#define BLKDEV_NAME	8	/* bytes of a name, with the NUL: "hda" */

struct blkdev {
	char name[BLKDEV_NAME];		/* [c] */
	uint32_t nsectors;		/* [c] capacity in sectors */
	/* Reads or writes count sectors at sector into buf, a kernel buffer
	 * (physical == virtual, so that a driver may DMA into it); sleeps
	 * until the transfer is over. Returns 0 or -EIO (also for a range
	 * past nsectors, and for a device that stopped answering). Safe to
	 * call from several threads at once: the driver serializes. */
	int (*rw)(struct blkdev *d, uint32_t sector, uint32_t count,
		  void *buf, bool write);
	/* Asks the device to put its write cache on the medium; 0 or -EIO. */
	int (*flush)(struct blkdev *d);
	void *priv;			/* [c] the driver's */
};

/* Adds d to the list of disks (at most BLKDEV_MAX). Returns 0 or -ENOMEM. */
#define BLKDEV_MAX	4
int blkdev_register(struct blkdev *d);

/* The disk registered under name, or NULL. */
struct blkdev *blkdev_find(const char *name);

#endif
