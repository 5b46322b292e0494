/*
 * blkdev.c: the list of disks (see blkdev.h). Drivers register at boot;
 * the file system finds a disk by name when it mounts one.
 */
#include "dev/blkdev.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "sync/spinlock.h"

/* Lock tags (docs/sync.md): [l] lock. */
static struct spinlock lock = SPINLOCK_INIT("blkdev");
static struct blkdev *disks[BLKDEV_MAX];	/* [l] */
static int ndisks;				/* [l] */

int blkdev_register(struct blkdev *d)
{
	uint32_t f = spin_lock(&lock);
	int err = ndisks == BLKDEV_MAX ? -ENOMEM : 0;
	if (!err)
		disks[ndisks++] = d;
	spin_unlock(&lock, f);
	return err;
}

struct blkdev *blkdev_find(const char *name)
{
	struct blkdev *found = NULL;
	uint32_t f = spin_lock(&lock);
	for (int i = 0; i < ndisks && !found; i++)
		if (strcmp(disks[i]->name, name) == 0)
			found = disks[i];
	spin_unlock(&lock, f);
	return found;
}
