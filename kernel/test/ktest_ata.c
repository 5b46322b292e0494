/*
 * ktest_ata.c: the ATA driver against a disk image the test runner made
 * on the host (tests/cases_disk.py boots these with --disk). Both sides
 * fill sectors with the same pattern - the sector's number, a four-letter
 * tag, then bytes derived from both - so that either can check what the
 * other wrote: the host writes "HOST" sectors, these tests write "FABL"
 * ones, flush, and the runner reads them back from the image after the
 * power is off.
 *
 * Options (kernel command line): ata.sectors=N, the image's size in
 * sectors, which IDENTIFY must report.
 */
#include "debug/ktest.h"
#include "arch/x86/pit.h"
#include "arch/x86/x86.h"
#include "boot/bootinfo.h"
#include "dev/blkdev.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "sync/cond.h"

#define LBA28_END (1u << 28)
#define HOST_RUN 2048		/* "HOST" sectors at the start of every image */
#define HOST_TAIL 64		/* ... and at its end */
#define FABL_AT 4096		/* where ata_disk writes its own */
#define FABL_RUN 600
#define FABL_TAIL 32

/* The byte at offset i of sector s under tag (tests/cases_disk.py has
 * the same function). */
static uint8_t pattern(const char *tag, uint32_t s, uint32_t i)
{
	if (i < 4)
		return s >> (8 * i);
	if (i < 8)
		return tag[i - 4];
	return (s * 13 + i * 7 + tag[0]) & 0xFF;
}

static void fill(uint8_t *buf, const char *tag, uint32_t s, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++)
		for (uint32_t i = 0; i < SECTOR_SIZE; i++)
			buf[k * SECTOR_SIZE + i] = pattern(tag, s + k, i);
}

/* Does buf hold n pattern sectors from s? Reports the first bad one. */
static bool holds(const uint8_t *buf, const char *tag, uint32_t s, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++)
		for (uint32_t i = 0; i < SECTOR_SIZE; i++)
			if (buf[k * SECTOR_SIZE + i] != pattern(tag, s + k, i)) {
				kprintf("ata test: sector %u byte %u is %02x, not %s's %02x\n",
					s + k, i, buf[k * SECTOR_SIZE + i], tag,
					pattern(tag, s + k, i));
				return false;
			}
	return true;
}

static uint32_t option(const char *key)
{
	uint32_t v = 0;
	for (const char *p = cmdline_get(&bootinfo.cmd, key, ""); *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}

static struct blkdev *hda(void)
{
	struct blkdev *d = blkdev_find("hda");
	KCHECK(d != NULL);
	return d;
}

/* Read n sectors at s into buf and check them against tag. */
static bool read_check(struct blkdev *d, uint8_t *buf, const char *tag, uint32_t s, uint32_t n)
{
	memset(buf, 0, n * SECTOR_SIZE);
	return d->rw(d, s, n, buf, false) == 0 && holds(buf, tag, s, n);
}

static bool write_run(struct blkdev *d, uint8_t *buf, uint32_t s, uint32_t n)
{
	fill(buf, "FABL", s, n);
	return d->rw(d, s, n, buf, true) == 0;
}

/* The host's sectors, read in pieces of many sizes (one sector, more
 * than a command takes) into buffers at many offsets: page-aligned, odd
 * (no DMA: PIO instead), across a 64 KiB boundary (two PRD entries). */
static void host_sectors(struct blkdev *d, uint8_t *big)
{
	static const uint32_t sizes[] = { 1, 7, 256, 300, 8, 1 };
	static const uint32_t offsets[] = { 0, 1, 0x10000 - 512, 2, 0x10000 - 3, 4 };
	uint32_t s = 0;
	for (int k = 0; s < HOST_RUN; k = (k + 1) % 6) {
		uint32_t n = sizes[k] < HOST_RUN - s ? sizes[k] : HOST_RUN - s;
		KCHECK(read_check(d, big + offsets[k], "HOST", s, n));
		s += n;
	}
	KCHECK(read_check(d, big, "HOST", d->nsectors - HOST_TAIL, HOST_TAIL));
}

/* Requests past the end are refused whole, and nothing is read. */
static void out_of_range(struct blkdev *d, uint8_t *buf)
{
	uint32_t n = d->nsectors;
	memset(buf, 0x5A, SECTOR_SIZE);
	KCHECK(d->rw(d, n, 1, buf, false) == -EIO);
	KCHECK(d->rw(d, n - 1, 2, buf, false) == -EIO);
	KCHECK(d->rw(d, n - 1, 2, buf, true) == -EIO);
	KCHECK(d->rw(d, 0xFFFFFFFFu, 2, buf, false) == -EIO);
	KCHECK(d->rw(d, 1, 0xFFFFFFFFu, buf, false) == -EIO);
	KCHECK(d->rw(d, n, 0, buf, false) == 0);
	KCHECK(buf[0] == 0x5A && buf[SECTOR_SIZE - 1] == 0x5A);
}

/* The sectors on both sides of sector 2^28, in one request: the 48-bit
 * commands. Only on an image that large. */
static void across_lba28(struct blkdev *d, uint8_t *buf)
{
	if (d->nsectors < LBA28_END + 8)
		return;
	KCHECK(read_check(d, buf, "HOST", LBA28_END - 8, 16));
	KCHECK(write_run(d, buf, LBA28_END - 4, 8));
	KCHECK(read_check(d, buf, "FABL", LBA28_END - 4, 8));
}

/*
 * The whole round: capacity, the host's sectors, bounds, then "FABL"
 * sectors written (in the middle, at the very end, across 2^28), read
 * back and flushed, for the runner to find in the image.
 */
KTEST(ata_disk)
{
	struct blkdev *d = hda();
	uint8_t *big = kmalloc(0x70000);	/* FABL_RUN sectors past 64 KiB */
	KCHECK(big != NULL);
	if (!d || !big)
		return;
	KCHECK(d->nsectors == option("ata.sectors"));
	KCHECK(strcmp(d->name, "hda") == 0);
	host_sectors(d, big);
	out_of_range(d, big);
	KCHECK(write_run(d, big + 0x10000 - 1024, FABL_AT, FABL_RUN));
	KCHECK(write_run(d, big + 1, d->nsectors - FABL_TAIL, FABL_TAIL));
	KCHECK(read_check(d, big + 2, "FABL", FABL_AT, FABL_RUN));
	KCHECK(read_check(d, big, "FABL", d->nsectors - FABL_TAIL, FABL_TAIL));
	across_lba28(d, big);
	KCHECK(d->flush(d) == 0);
	kfree(big);
}

/*
 * A drive that stops interrupting: with nIEN set behind the driver's
 * back, a read finishes on the disk but never says so. The deadline
 * must end it with -EIO (not hang), and the reset must bring the disk
 * back for the next request.
 */
KTEST(ata_timeout)
{
	struct blkdev *d = hda();
	uint8_t *buf = kmalloc(8 * SECTOR_SIZE);
	if (!d || !buf)
		return;
	KCHECK(read_check(d, buf, "HOST", 0, 8));
	outb(0x3F6, 0x02);	/* the primary channel's device control: nIEN */
	uint32_t t0 = pit_ticks();
	KCHECK(d->rw(d, 8, 8, buf, false) == -EIO);
	uint32_t waited = pit_ticks() - t0;
	kprintf("ata test: the read gave up after %u ticks\n", waited);
	KCHECK(waited >= 4 * TICK_HZ && waited < 10 * TICK_HZ);
	KCHECK(read_check(d, buf, "HOST", 16, 8));
	KCHECK(d->flush(d) == 0);
	kfree(buf);
}

/* Several threads at once, each writing, reading back and rereading its
 * own run of sectors while the others do theirs. */
#define WORKERS 4
#define WORKER_RUN 64
#define ROUNDS 20

static struct mutex done_lock = MUTEX_INIT(done_lock, "ata test");
static struct cond all_done = COND_INIT(all_done);
static int finished, next_worker, worker_errors;	/* done_lock */

static void worker(void)
{
	mutex_lock(&done_lock);
	int me = next_worker++;
	mutex_unlock(&done_lock);
	struct blkdev *d = blkdev_find("hda");
	uint8_t *buf = kmalloc(WORKER_RUN * SECTOR_SIZE);
	int errors = !d || !buf;
	for (int r = 0; r < ROUNDS && !errors; r++) {
		uint32_t s = FABL_AT + (me + 1) * 1000 + r % 3;
		uint32_t n = 1 + (r * 7 + me * 5) % WORKER_RUN;
		errors += !write_run(d, buf, s, n);
		errors += !read_check(d, buf, "FABL", s, n);
		errors += !read_check(d, buf + 1, "HOST", r * 50, 16);
	}
	kfree(buf);
	mutex_lock(&done_lock);
	worker_errors += errors;
	finished++;
	cond_signal(&all_done);
	mutex_unlock(&done_lock);
	for (;;)
		sched_sleep(1000);	/* a kernel thread never ends; the test powers off */
}

KTEST(ata_concurrent)
{
	if (!hda())
		return;
	for (int i = 0; i < WORKERS; i++)
		KCHECK(proc_kthread(worker) > 0);
	mutex_lock(&done_lock);
	while (finished < WORKERS)
		cond_wait(&all_done, &done_lock);
	KCHECK(worker_errors == 0);
	mutex_unlock(&done_lock);
}

/* Booted without a disk: none is registered. */
KTEST(ata_none)
{
	KCHECK(blkdev_find("hda") == NULL);
	KCHECK(blkdev_find("hdc") == NULL);
}

/*
 * A disk with bad sectors: the runner attaches the image through QEMU's
 * blkdebug filter, which fails every read that covers sector BAD_READ
 * and every write that covers BAD_WRITE. The drive reports the error
 * (ERR in its status); each such request is -EIO, and the ones around
 * it still work.
 */
#define BAD_READ 100
#define BAD_WRITE 5000

KTEST(ata_errors)
{
	struct blkdev *d = hda();
	uint8_t *buf = kmalloc(17 * SECTOR_SIZE);	/* 16 sectors at an odd address */
	if (!d || !buf)
		return;
	KCHECK(d->rw(d, BAD_READ - 4, 8, buf, false) == -EIO);
	KCHECK(read_check(d, buf, "HOST", 0, 8));
	KCHECK(d->rw(d, BAD_READ, 1, buf + 1, false) == -EIO);
	KCHECK(read_check(d, buf, "HOST", BAD_READ + 1, 16));
	KCHECK(read_check(d, buf + 1, "HOST", BAD_READ - 16, 16));
	fill(buf, "FABL", BAD_WRITE - 2, 4);
	KCHECK(d->rw(d, BAD_WRITE - 2, 4, buf, true) == -EIO);
	KCHECK(write_run(d, buf, BAD_WRITE + 1, 8));
	KCHECK(read_check(d, buf, "FABL", BAD_WRITE + 1, 8));
	KCHECK(d->flush(d) == 0);
	kfree(buf);
}
