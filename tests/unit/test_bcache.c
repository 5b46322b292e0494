/*
 * test_bcache.c: the block cache (kernel/fs/bcache.c) on a disk in
 * memory that records the order of its writes: hits and misses, 1 KiB
 * and 4 KiB blocks over 512-byte sectors, write-back only when asked or
 * when a buffer is recycled (least recently used first), border() order
 * kept by bwrite, by recycling and by bcache_sync, chains of orders,
 * -ENOMEM (not a panic, not a hang) when every buffer is held, -EIO
 * from a failing disk, and threads hammering a few blocks at once.
 */
#include "fs_native.h"
#include "kernel/fs/bcache.c"
#include "fs_util.h"

#define NBUF BCACHE_MIN

static uint8_t disk[1 << 20];
static struct memdisk md;
static uint32_t order[4096], norder;	/* sectors written, in order */

static int rec_rw(struct blkdev *d, uint32_t sector, uint32_t count, void *buf, bool write)
{
	if (write && norder < 4096)
		order[norder++] = sector;
	return memdisk_rw(d, sector, count, buf, write);
}

static int flushes;

static int count_flush(struct blkdev *d)
{
	(void)d;
	flushes++;
	return 0;
}

/* Where in order[] sector s was first written, or -1. */
static int when(uint32_t s)
{
	for (uint32_t i = 0; i < norder; i++)
		if (order[i] == s)
			return (int)i;
	return -1;
}

static void test_read_write(void)
{
	struct buf *b;
	for (uint32_t i = 0; i < sizeof disk; i++)
		disk[i] = (uint8_t)(i * 7 + i / 512);
	struct bcache_stats s0, s1;
	bcache_stats(&s0);
	CHECKEQ(s0.nbuf, NBUF);
	uint8_t was = disk[3072];
	CHECKEQ(bread(&md.d, 3, 1024, &b), 0);
	CHECK(memcmp(b->data, disk + 3 * 1024, 1024) == 0);
	b->data[0] = (uint8_t)~was;
	bdirty(b);
	brelse(b);
	CHECKEQ(bread(&md.d, 3, 1024, &b), 0);	/* a hit, with the change */
	CHECKEQ(b->data[0], (uint8_t)~was);
	brelse(b);
	bcache_stats(&s1);
	CHECKEQ(s1.misses - s0.misses, 1);
	CHECKEQ(s1.hits - s0.hits, 1);
	CHECKEQ(disk[3072], was);	/* not written yet */
	flushes = 0;
	CHECKEQ(bcache_sync(NULL), 0);	/* every device: a halt's */
	CHECKEQ(disk[3072], (uint8_t)~was);
	CHECKEQ(flushes, 1);
	/* 4 KiB blocks are 8 sectors. */
	CHECKEQ(bread(&md.d, 5, 4096, &b), 0);
	CHECK(memcmp(b->data, disk + 5 * 4096, 4096) == 0);
	brelse(b);
	CHECKEQ(bread(&md.d, 5, 2048, &b), -EINVAL);
	/* One device, one block size: (d, 5) is cached as 4 KiB. */
	CHECKEQ(bread(&md.d, 5, 1024, &b), -EINVAL);
	CHECKEQ(bread(&md.d, sizeof disk / 1024, 1024, &b), -EIO);	/* past the end */
	CHECKEQ(bcache_drop(&md.d), 0);
}

static void test_lru(void)
{
	struct buf *b;
	norder = 0;
	/* Dirty block 0, then touch NBUF others: 0 is recycled, so written. */
	CHECKEQ(bnew(&md.d, 0, 1024, &b), 0);
	memset(b->data, 0xAB, 1024);
	brelse(b);
	CHECKEQ(when(0), -1);
	for (uint32_t i = 1; i <= NBUF; i++) {
		CHECKEQ(bread(&md.d, i, 1024, &b), 0);
		brelse(b);
	}
	CHECKEQ(when(0), 0);
	CHECK(disk[0] == 0xAB && disk[1023] == 0xAB);
	CHECKEQ(bcache_drop(&md.d), 0);
}

static void test_order(void)
{
	struct buf *x, *i, *m;
	norder = 0;
	/* x before i before m; writing m writes the chain first. */
	CHECKEQ(bnew(&md.d, 10, 1024, &x), 0);
	CHECKEQ(bnew(&md.d, 11, 1024, &i), 0);
	CHECKEQ(bread(&md.d, 12, 1024, &m), 0);
	border(x, i);
	border(i, m);
	brelse(x);
	brelse(i);
	m->data[5] = 1;
	bdirty(m);
	CHECKEQ(bwrite(m), 0);
	brelse(m);
	CHECKEQ(norder, 3);
	CHECK(when(20) < when(22) && when(22) < when(24) && when(20) >= 0);
	/* A buffer already ordered before another, ordered again: it is
	 * written at once. */
	norder = 0;
	CHECKEQ(bnew(&md.d, 13, 1024, &x), 0);
	CHECKEQ(bread(&md.d, 14, 1024, &i), 0);
	CHECKEQ(bread(&md.d, 15, 1024, &m), 0);
	border(x, i);
	brelse(i);
	brelse(m);
	CHECKEQ(bread(&md.d, 15, 1024, &m), 0);
	brelse(x);
	border(x, m);
	CHECK(when(26) == 0);
	brelse(m);
	/* Recycling a buffer others are ordered before writes them first. */
	norder = 0;
	CHECKEQ(bnew(&md.d, 16, 1024, &x), 0);
	CHECKEQ(bnew(&md.d, 17, 1024, &m), 0);
	border(x, m);
	brelse(m);
	brelse(x);
	for (uint32_t k = 100; k < 100 + 2 * NBUF; k++) {
		CHECKEQ(bread(&md.d, k, 1024, &i), 0);
		brelse(i);
	}
	CHECK(when(32) >= 0 && when(32) < when(34));
	CHECKEQ(bcache_drop(&md.d), 0);
}

static void test_full_and_errors(void)
{
	struct buf *held[NBUF], *b;
	for (int k = 0; k < NBUF; k++)
		CHECKEQ(bread(&md.d, 200 + (uint32_t)k, 1024, &held[k]), 0);
	CHECKEQ(bread(&md.d, 300, 1024, &b), -ENOMEM);
	for (int k = 0; k < NBUF; k++)
		brelse(held[k]);
	CHECKEQ(bread(&md.d, 300, 1024, &b), 0);
	brelse(b);
	md.fail_after = 0;
	CHECKEQ(bread(&md.d, 301, 1024, &b), -EIO);
	CHECKEQ(bnew(&md.d, 302, 1024, &b), 0);
	CHECKEQ(bwrite(b), -EIO);
	brelse(b);
	md.fail_after = -1;
	CHECKEQ(bread(&md.d, 301, 1024, &b), 0);	/* read again, fine now */
	brelse(b);
	CHECKEQ(bcache_drop(&md.d), 0);
}

static void *hammer(void *arg)
{
	uint32_t r = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
	for (int n = 0; n < 20000; n++) {
		struct buf *b, *c;
		r = r * 1103515245 + 12345;
		uint32_t blk = 400 + (r >> 16) % (NBUF + 4);
		if (bread(&md.d, blk, 1024, &b))
			continue;
		/* Each block counts its updates in its first word. */
		uint32_t v;
		memcpy(&v, b->data, 4);
		v++;
		memcpy(b->data, &v, 4);
		bdirty(b);
		if (n % 7 == 0 && bread(&md.d, 600 + blk, 1024, &c) == 0) {
			border(c, b);
			brelse(c);
		}
		brelse(b);
		if (n % 500 == 0)
			bcache_sync(&md.d);
	}
	return NULL;
}

static void test_threads(void)
{
	memset(disk + 400 * 1024, 0, (NBUF + 4) * 1024);
	pthread_t t[4];
	for (uintptr_t i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hammer, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECKEQ(bcache_sync(&md.d), 0);
	uint64_t total = 0;
	for (uint32_t k = 0; k < NBUF + 4; k++) {
		uint32_t v;
		memcpy(&v, disk + (400 + k) * 1024, 4);
		total += v;
	}
	CHECKEQ(total, 4 * 20000);
	CHECKEQ(bcache_drop(&md.d), 0);
}

int main(void)
{
	memdisk_init(&md, disk, sizeof disk);
	md.d.rw = rec_rw;
	md.d.flush = count_flush;
	CHECKEQ(bcache_init(1), 0);	/* clamped up to BCACHE_MIN */
	test_read_write();
	test_lru();
	test_order();
	test_full_and_errors();
	test_threads();
	printf("%s: %d failures\n", __FILE__, failures);
	return failures != 0;
}
