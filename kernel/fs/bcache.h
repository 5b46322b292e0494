/*
 * bcache.h: the block cache (docs/storage.md, "The block cache").
 *
 * A fixed number of buffers, each holding one file-system block (1 KiB
 * or 4 KiB, a whole number of the device's 512-byte sectors), found by
 * (device, block number), reference counted, recycled least recently
 * used first. A buffer's contents are guarded by its sleep lock: bread
 * and bnew return it locked, brelse unlocks it and drops the reference.
 * Writes are delayed (bdirty) until the buffer is recycled, bwrite'd or
 * bcache_sync'd; border() says that one buffer must reach the disk
 * before another (a data block before the block that points to it).
 *
 * Lock tags (docs/sync.md): [m] bcache_lock, the cache's mutex, or
 * where a field says so the buffer's own lock.
 */
#ifndef FS_BCACHE_H
#define FS_BCACHE_H

#include <stdbool.h>
#include <stdint.h>
#include "dev/blkdev.h"
#include "fs/kdep.h"
#include "lib/list.h"

#define BCACHE_BSIZE_MAX	4096	/* every buffer has room for this */
#define BCACHE_DEFAULT		256	/* buffers, without bcache=N */
#define BCACHE_MIN		16
#define BCACHE_MAX		8192

struct buf {
	struct blkdev *dev;	/* [m] with blockno and size: what it holds */
	uint32_t blockno;	/* [m] in units of size */
	uint32_t size;		/* [m] bytes: 1024 or 4096 */
	uint32_t refs;		/* [m] */
	bool dirty;		/* [m] newer than the disk */
	bool io;		/* [m] a write of it is under way */
	bool valid;		/* the buffer's lock, and [m] to clear (bhold
				 * reads it with [m] only): data holds the block */
	bool used;		/* [m] found since it last went to the back of
				 * the list: it gets a second chance */
	bool fsok;		/* the buffer's lock: the file system has checked
				 * data since it was read or last changed (bdirty) */
	struct buf *then;	/* [m] must reach the disk after this one */
	struct list firsts;	/* [m] buffers whose then is this one */
	struct list_node order;	/* [m] in then->firsts */
	struct buf *hnext;	/* [m] hash chain */
	struct list_node lru;	/* [m] */
	struct mutex lock;	/* guards data and valid */
	uint8_t *data;		/* [m] BCACHE_BSIZE_MAX bytes, DMA-able;
				 * allocated at first use, then kept */
};

/* Sets the cache up with nbuf buffers (0: BCACHE_DEFAULT; clamped to
 * [BCACHE_MIN, BCACHE_MAX]); a buffer's memory is allocated when it is
 * first used, so a machine without a disk pays only the headers. 0, or
 * -ENOMEM (the cache is then empty and every bread fails with -ENOMEM).
 * Called once, at boot (bcache=N on the command line), before any other
 * call. */
int bcache_init(uint32_t nbuf);

/* Block blockno of size bytes of d, read if not cached: 0 with *out
 * locked and referenced, -EIO if the device failed, -ENOMEM if every
 * buffer is in use, -EINVAL for a size other than 1 KiB or 4 KiB. */
int bread(struct blkdev *d, uint32_t blockno, uint32_t size, struct buf **out);
/* As bread, for a block about to be overwritten whole (a newly
 * allocated one): not read; zero-filled and dirty. */
int bnew(struct blkdev *d, uint32_t blockno, uint32_t size, struct buf **out);
/* Unlocks b and drops the reference. */
void brelse(struct buf *b);
/*
 * The leading blocks of blocks[0..n) that are cached with their data
 * (valid), each referenced but not locked, in out[]: how many (0 if the
 * first is not, or is 0). One hold of the cache's mutex for the run,
 * and no buffer's lock: for a reader that keeps every writer of those
 * blocks out by other means (ext2: a file's data under its inode's
 * lock), as the reference alone keeps a buffer's identity and its data
 * valid. bunhold drops the references.
 */
uint32_t bhold(struct blkdev *d, const uint32_t *blocks, uint32_t n, uint32_t size,
	       struct buf **out);
void bunhold(struct buf **bufs, uint32_t n);
/* n 32-bit words (a few: they are copied under the cache's mutex) from
 * word i of block blockno of size bytes of d into w, as they are in the
 * block, if the cache holds the block with its data: true, else false
 * (nothing copied; bread it). For the readers bhold is for, when they
 * want a few words: no reference taken and none to drop. */
bool bpeek(struct blkdev *d, uint32_t blockno, uint32_t size, uint32_t i, uint32_t n,
	   uint32_t *w);
/* b's contents changed and must reach the disk some time. Caller holds
 * b's lock and calls it after the change. */
void bdirty(struct buf *b);
/* Writes b now if it is dirty (after what border ordered before it).
 * Caller holds b's lock. 0 or -EIO. */
int bwrite(struct buf *b);
/* first must reach the disk before then does. Caller holds references
 * to both and the lock of neither, or only then's. */
void border(struct buf *first, struct buf *then);
/* Writes every dirty buffer of d (NULL: of every device: a sync, a halt),
 * then asks d (each of them) to put its write cache on the medium. 0, or
 * the first error. */
int bcache_sync(struct blkdev *d);
/* Forgets every buffer of d, after writing the dirty ones (an unmount).
 * None may be referenced. */
int bcache_drop(struct blkdev *d);

struct bcache_stats {
	uint32_t nbuf;
	uint64_t hits, misses;
};
void bcache_stats(struct bcache_stats *s);

#endif
