/*
 * ata.c: ATA disks on a PC's IDE channels - QEMU's PIIX3, or any
 * controller in compatibility mode (docs/storage.md, "The ATA driver").
 *
 * Each of the two channels has a command block (8 ports), a control
 * port, an IRQ line and, if the PCI function has one, eight bus-master
 * registers for DMA. A channel runs one command at a time, for either
 * of its two drives: a mutex per channel serializes the callers. The
 * caller issues the command and sleeps; the channel's interrupt records
 * the status and wakes it, and a deadline counted in timer ticks wakes it
 * if the interrupt never comes. Transfers go by bus-master DMA when the
 * controller and the buffer allow it, else by PIO (`ata=pio` forces it),
 * at most MAX_SECTORS per command. Every failure - an error bit, a DMA
 * error, a request past the end, silence - is -EIO; after an error or a
 * timeout the channel is reset before its next command.
 */
#include "dev/ata.h"
#include "dev/atalib.h"
#include "dev/blkdev.h"
#include "dev/pci.h"
#include "arch/x86/pit.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "debug/debug.h"
#include "proc/sched.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"

/* Command block registers, from the channel's base port. */
#define REG_DATA    0
#define REG_ERROR   1	/* read */
#define REG_COUNT   2
#define REG_LBA0    3
#define REG_LBA1    4
#define REG_LBA2    5
#define REG_DEVICE  6
#define REG_STATUS  7	/* read: also acknowledges the interrupt */
#define REG_COMMAND 7	/* write */
/* The control port: alternate status (read, acknowledges nothing) and
 * device control (write). */
#define CTL_NIEN 0x02	/* the drive raises no interrupt */
#define CTL_SRST 0x04	/* software reset of both drives */

#define ST_ERR  0x01
#define ST_DRQ  0x08	/* the drive wants data moved */
#define ST_DF   0x20	/* device fault */
#define ST_BSY  0x80

#define DEV_LBA 0x40	/* the device register's LBA bit; 0xA0 are obsolete ones */
#define DEV_OBS 0xA0

#define CMD_READ_PIO      0x20
#define CMD_READ_PIO_EXT  0x24
#define CMD_WRITE_PIO     0x30
#define CMD_WRITE_PIO_EXT 0x34
#define CMD_READ_DMA      0xC8
#define CMD_READ_DMA_EXT  0x25
#define CMD_WRITE_DMA     0xCA
#define CMD_WRITE_DMA_EXT 0x35
#define CMD_FLUSH         0xE7
#define CMD_FLUSH_EXT     0xEA
#define CMD_IDENTIFY      0xEC

/* Bus-master registers, from BAR4 + 8 * channel. */
#define BM_COMMAND 0
#define BM_STATUS  2
#define BM_PRDT    4
#define BMC_START  0x01
#define BMC_READ   0x08	/* the controller writes to memory */
#define BMS_ERROR  0x02
#define BMS_IRQ    0x04	/* the drive interrupted; both clear on a written 1 */

#define MAX_SECTORS 256		/* per command: the 28-bit commands' limit */
#define PRD_MAX 8		/* 128 KiB anywhere needs 3 */
#define LBA28_END (1u << 28)	/* first sector a 28-bit command cannot reach */
#define TIMEOUT_TICKS (5 * TICK_HZ)	/* a drive silent this long has failed */
#define PROBE_TICKS (TICK_HZ / 2)	/* IDENTIFY at boot, and a reset */

/*
 * Lock tags (docs/sync.md): [c] constant after boot, [m] the channel's
 * mutex (held by the thread whose command runs), [l] irq_lock, the
 * hand-off between that thread and the interrupt (both channels share
 * it). Lock order: channel mutex, irq_lock, sched_lock.
 */
struct channel {
	uint16_t base, ctl;	/* [c] command block, control port */
	uint16_t bm;		/* [c] bus-master registers, 0: none */
	int irq;		/* [c] */
	struct mutex lock;
	struct prd *prdt;	/* [m] contents; the table itself [c] */
	bool reset_due;		/* [m] the last command failed */
	int selected;		/* [m] the drive the device register names, -1 unknown */
	struct thread *waiter;	/* [l] the thread waiting for the interrupt */
	bool irq_seen;		/* [l] an interrupt came since waiter was set */
	uint8_t status, bm_status;	/* [l] what that interrupt read */
};

struct disk {
	struct blkdev blk;	/* [c] blk.priv is this disk */
	struct channel *ch;	/* [c] */
	int drive;		/* [c] 0 master, 1 slave */
	bool lba48, dma;	/* [c] */
	char model[ATA_MODEL];	/* [c] */
};

static struct spinlock irq_lock = SPINLOCK_INIT("ata irq");
static struct channel channels[2] = {
	{ .base = 0x1F0, .ctl = 0x3F6, .irq = 14, .lock = MUTEX_INIT(channels[0].lock, "ata0") },
	{ .base = 0x170, .ctl = 0x376, .irq = 15, .lock = MUTEX_INIT(channels[1].lock, "ata1") },
};
/* 64-byte aligned, so that a table never crosses a 64 KiB boundary. */
static struct prd prdts[2][PRD_MAX] __attribute__((aligned(64)));
static struct disk disks[4];	/* [c] hda hdb hdc hdd */
static int ndisks;		/* [c] */

/* ~400 ns: four reads of the alternate status, as the standard asks
 * between selecting a drive or writing a command and trusting status. */
static void delay400(const struct channel *ch)
{
	for (int i = 0; i < 4; i++)
		inb(ch->ctl);
}

static bool expired(uint32_t deadline)
{
	return (int32_t)(pit_ticks() - deadline) >= 0;
}

/* Poll the alternate status until BSY clears (and DRQ is set, if
 * want_drq): the short waits the protocol requires, each bounded by
 * ticks. The status, or -1 on timeout. */
static int poll_status(const struct channel *ch, bool want_drq, uint32_t ticks)
{
	uint32_t deadline = pit_ticks() + ticks;
	for (;;) {
		uint8_t st = inb(ch->ctl);
		if (!(st & ST_BSY) && (!want_drq || (st & (ST_DRQ | ST_ERR | ST_DF))))
			return st;
		if (expired(deadline))
			return -1;
		__asm__ volatile("pause");
	}
}

/* The channel's interrupt: reading the status register acknowledges the
 * drive, writing the bus-master status back clears its interrupt and
 * error bits. A waiting thread gets both and is woken. */
static void channel_irq(struct channel *ch)
{
	uint32_t f = spin_lock(&irq_lock);
	uint8_t bms = ch->bm ? inb(ch->bm + BM_STATUS) : 0;
	uint8_t st = inb(ch->base + REG_STATUS);
	if (ch->bm)
		outb(ch->bm + BM_STATUS, bms);
	if (ch->waiter && !(st & ST_BSY)) {
		ch->status = st;
		ch->bm_status = bms;
		ch->irq_seen = true;
		spin_lock(&sched_lock);
		sched_wake_sleeper(ch->waiter);
		spin_unlock(&sched_lock, 0);	/* interrupts stay off: irq_lock */
	}
	spin_unlock(&irq_lock, f);
}

static void irq_primary(struct trapframe *tf)
{
	(void)tf;
	channel_irq(&channels[0]);
}

static void irq_secondary(struct trapframe *tf)
{
	(void)tf;
	channel_irq(&channels[1]);
}

/* From now on the interrupt wakes the calling thread. Caller holds
 * ch->lock, before it issues the command. */
static void irq_expect(struct channel *ch)
{
	ASSERT_HELD(&ch->lock);
	uint32_t f = spin_lock(&irq_lock);
	ch->waiter = sched_self();
	ch->irq_seen = false;
	spin_unlock(&irq_lock, f);
}

/* The interrupt no longer wakes anyone; returns the bus-master status
 * it read last. Caller holds ch->lock. */
static uint8_t irq_done(struct channel *ch)
{
	uint32_t f = spin_lock(&irq_lock);
	ch->waiter = NULL;
	uint8_t bms = ch->bm_status;
	spin_unlock(&irq_lock, f);
	return bms;
}

/*
 * Sleep until the channel interrupts or TIMEOUT_TICKS pass; returns the
 * status the interrupt read, or -1 on timeout. irq_lock is dropped only
 * once sched_lock is held, so an interrupt in between finds the thread
 * asleep and wakes it. Woken early by a kill, it sleeps again: the
 * drive may still write into the caller's buffer. Caller holds ch->lock
 * and called irq_expect.
 */
static int irq_wait(struct channel *ch)
{
	ASSERT_HELD(&ch->lock);
	uint32_t deadline = pit_ticks() + TIMEOUT_TICKS;
	uint32_t f = spin_lock(&irq_lock);
	while (!ch->irq_seen && !expired(deadline)) {
		spin_lock(&sched_lock);
		spin_unlock(&irq_lock, 0);	/* interrupts stay off until we sleep */
		sched_sleep_locked(deadline - pit_ticks());
		spin_unlock(&sched_lock, 0);
		spin_lock(&irq_lock);
	}
	int st = ch->irq_seen ? ch->status : -1;
	ch->irq_seen = false;
	spin_unlock(&irq_lock, f);
	return st;
}

/*
 * Software reset of the channel's drives: SRST for a few microseconds,
 * then a wait for BSY to clear. Interrupts are enabled again (nIEN 0)
 * whatever the control register held. Caller holds ch->lock, in a thread.
 */
static void reset(struct channel *ch)
{
	ASSERT_HELD(&ch->lock);
	if (ch->bm)
		outb(ch->bm + BM_COMMAND, 0);
	outb(ch->ctl, CTL_SRST);
	for (int i = 0; i < 10; i++)
		delay400(ch);	/* 5 us at least */
	outb(ch->ctl, 0);
	ch->selected = -1;
	sched_sleep(2);		/* a whole tick at least: the standard's 2 ms before status means anything */
	if (poll_status(ch, false, PROBE_TICKS) < 0)
		klog(LOG_WARN, "ata%d: still busy after a reset", (int)(ch - channels));
	ch->reset_due = false;
}

/*
 * Point the channel's registers at d and wait until it is not busy, as
 * the standard asks before a command (a reset may have left it busy).
 * False if it stays busy. Caller holds the channel's mutex.
 */
static bool select(struct disk *d)
{
	struct channel *ch = d->ch;
	ASSERT_HELD(&ch->lock);
	if (ch->reset_due)
		reset(ch);
	outb(ch->base + REG_DEVICE, DEV_OBS | DEV_LBA | d->drive << 4);
	if (ch->selected != d->drive)
		delay400(ch);
	ch->selected = d->drive;
	return poll_status(ch, false, PROBE_TICKS) >= 0;
}

/* Load the address and count registers of the selected d: the 48-bit
 * form (each register written twice, high byte first) only when needed. */
static void load_taskfile(const struct disk *d, uint32_t lba, uint32_t count, bool ext)
{
	uint16_t b = d->ch->base;
	if (ext) {
		outb(b + REG_COUNT, count >> 8);
		outb(b + REG_LBA0, lba >> 24);
		outb(b + REG_LBA1, 0);	/* bits 32-47: nsectors is 32-bit */
		outb(b + REG_LBA2, 0);
	} else {
		outb(b + REG_DEVICE, DEV_OBS | DEV_LBA | d->drive << 4 | (lba >> 24 & 0xF));
	}
	outb(b + REG_COUNT, count & 0xFF);	/* 256 is 0 */
	outb(b + REG_LBA0, lba);
	outb(b + REG_LBA1, lba >> 8);
	outb(b + REG_LBA2, lba >> 16);
}

static bool need_ext(uint32_t lba, uint32_t count)
{
	return lba + count > LBA28_END;
}

/* Log why a command failed; the caller returns -EIO. */
static int failed(struct disk *d, const char *what, uint32_t lba, int st)
{
	d->ch->reset_due = true;
	if (st < 0)
		klog(LOG_WARN, "ata: %s: %s at sector %u: no answer; resetting", d->blk.name,
		     what, lba);
	else
		klog(LOG_WARN, "ata: %s: %s at sector %u: status %02x error %02x", d->blk.name,
		     what, lba, st, inb(d->ch->base + REG_ERROR));
	return -EIO;
}

static bool bad(int st)
{
	return st < 0 || (st & (ST_ERR | ST_DF));
}

/* count sectors by PIO: an interrupt per sector before it is read, and
 * for a write one per sector after it is written (the first goes once
 * DRQ is polled). Caller holds the channel's mutex. */
static int xfer_pio(struct disk *d, uint32_t lba, uint32_t count, uint8_t *buf, bool write)
{
	struct channel *ch = d->ch;
	bool ext = need_ext(lba, count);
	uint8_t cmd = write ? (ext ? CMD_WRITE_PIO_EXT : CMD_WRITE_PIO)
			    : (ext ? CMD_READ_PIO_EXT : CMD_READ_PIO);
	irq_expect(ch);
	load_taskfile(d, lba, count, ext);
	outb(ch->base + REG_COMMAND, cmd);
	delay400(ch);
	int st = 0;
	uint32_t i;
	for (i = 0; i < count; i++, buf += SECTOR_SIZE) {
		st = write && i == 0 ? poll_status(ch, true, TIMEOUT_TICKS) : irq_wait(ch);
		if (bad(st) || !(st & ST_DRQ))
			break;
		if (write)
			outsw(ch->base + REG_DATA, buf, SECTOR_SIZE / 2);
		else
			insw(ch->base + REG_DATA, buf, SECTOR_SIZE / 2);
	}
	if (i == count && write)
		st = irq_wait(ch);	/* the last sector is on the disk */
	irq_done(ch);
	if (i < count || bad(st))
		return failed(d, write ? "write" : "read", lba, st);
	return 0;
}

/* count sectors by bus-master DMA into or out of buf, which is in
 * kernel memory (physical == virtual) and even. One interrupt at the
 * end. Caller holds the channel's mutex. */
static int xfer_dma(struct disk *d, uint32_t lba, uint32_t count, uint8_t *buf, bool write)
{
	struct channel *ch = d->ch;
	bool ext = need_ext(lba, count);
	uint8_t cmd = write ? (ext ? CMD_WRITE_DMA_EXT : CMD_WRITE_DMA)
			    : (ext ? CMD_READ_DMA_EXT : CMD_READ_DMA);
	uint8_t dir = write ? 0 : BMC_READ;
	int n = ata_prd_build(ch->prdt, PRD_MAX, (uint32_t)buf, count * SECTOR_SIZE);
	assert(n > 0);
	outb(ch->bm + BM_COMMAND, dir);
	outl(ch->bm + BM_PRDT, (uint32_t)ch->prdt);
	outb(ch->bm + BM_STATUS, BMS_ERROR | BMS_IRQ);	/* clear them */
	irq_expect(ch);
	load_taskfile(d, lba, count, ext);
	outb(ch->base + REG_COMMAND, cmd);
	outb(ch->bm + BM_COMMAND, dir | BMC_START);
	int st = irq_wait(ch);
	outb(ch->bm + BM_COMMAND, dir);		/* stop: the transfer is over or failed */
	uint8_t bms = irq_done(ch);
	if (bad(st) || (bms & BMS_ERROR))
		return failed(d, write ? "DMA write" : "DMA read", lba, st);
	return 0;
}

/* DMA needs the controller, a drive that does it, and a buffer the
 * controller can reach as it is: even, in the identity-mapped kernel. */
static bool dma_ok(const struct disk *d, const void *buf, uint32_t count)
{
	uintptr_t a = (uintptr_t)buf;
	return d->dma && !(a & 1) && a + count * SECTOR_SIZE <= USER_MEM_START;
}

static int disk_rw(struct blkdev *b, uint32_t sector, uint32_t count, void *buf, bool write)
{
	struct disk *d = b->priv;
	struct channel *ch = d->ch;
	uint8_t *p = buf;
	if (sector > b->nsectors || count > b->nsectors - sector)
		return -EIO;
	int err = 0;
	while (count && !err) {
		uint32_t n = count < MAX_SECTORS ? count : MAX_SECTORS;
		mutex_lock(&ch->lock);
		if (!select(d))
			err = failed(d, "select", sector, -1);
		else if (dma_ok(d, p, n))
			err = xfer_dma(d, sector, n, p, write);
		else
			err = xfer_pio(d, sector, n, p, write);
		mutex_unlock(&ch->lock);
		sector += n;
		count -= n;
		p += n * SECTOR_SIZE;
	}
	return err;
}

static int disk_flush(struct blkdev *b)
{
	struct disk *d = b->priv;
	struct channel *ch = d->ch;
	int err = 0;
	mutex_lock(&ch->lock);
	if (select(d)) {
		irq_expect(ch);
		outb(ch->base + REG_COMMAND, d->lba48 ? CMD_FLUSH_EXT : CMD_FLUSH);
		int st = irq_wait(ch);
		irq_done(ch);
		if (bad(st))
			err = failed(d, "flush", 0, st);
	} else {
		err = failed(d, "flush", 0, -1);
	}
	mutex_unlock(&ch->lock);
	return err;
}

/*
 * IDENTIFY DEVICE, polled (boot: no thread to put to sleep; the drive's
 * interrupt is off). False if no ATA disk answers: nothing there (the
 * status reads 0, or 0xFF on a channel without drives), a packet device
 * (a CD-ROM: the command is aborted), or a drive that does not finish.
 */
static bool identify(struct channel *ch, int drive, uint16_t *id)
{
	outb(ch->base + REG_DEVICE, DEV_OBS | drive << 4);
	delay400(ch);
	uint8_t st = inb(ch->base + REG_STATUS);
	if (st == 0 || st == 0xFF || poll_status(ch, false, PROBE_TICKS) < 0)
		return false;
	for (int r = REG_COUNT; r <= REG_LBA2; r++)
		outb(ch->base + r, 0);
	outb(ch->base + REG_COMMAND, CMD_IDENTIFY);
	delay400(ch);
	if (inb(ch->ctl) == 0)
		return false;
	int s = poll_status(ch, true, PROBE_TICKS);
	if (s < 0 || (s & (ST_ERR | ST_DF)) || !(s & ST_DRQ)) {
		uint8_t sig1 = inb(ch->base + REG_LBA1), sig2 = inb(ch->base + REG_LBA2);
		if (sig1 == 0x14 && sig2 == 0xEB)
			klog(LOG_INFO, "ata: hd%c: a packet device (CD-ROM); not used",
			     'a' + (int)(ch - channels) * 2 + drive);
		return false;
	}
	insw(ch->base + REG_DATA, id, 256);
	inb(ch->base + REG_STATUS);
	return true;
}

/* Register the drive if it is a disk Fable can address. */
static bool probe(struct channel *ch, int drive, bool use_dma)
{
	static uint16_t id[256];
	struct ata_ident a;
	if (!identify(ch, drive, id))
		return false;
	ata_identify_parse(id, &a);
	struct disk *d = &disks[ndisks];
	d->blk.name[0] = 'h';
	d->blk.name[1] = 'd';
	d->blk.name[2] = 'a' + (int)(ch - channels) * 2 + drive;
	if (!a.lba || !a.sectors) {
		klog(LOG_WARN, "ata: %s: %s has no LBA addressing; not used", d->blk.name, a.model);
		return false;
	}
	if (a.sectors > 0xFFFFFFFFu)
		klog(LOG_WARN, "ata: %s: only the first 2 TiB are used", d->blk.name);
	d->blk.nsectors = a.sectors > 0xFFFFFFFFu ? 0xFFFFFFFFu : a.sectors;
	d->blk.rw = disk_rw;
	d->blk.flush = disk_flush;
	d->blk.priv = d;
	d->ch = ch;
	d->drive = drive;
	d->lba48 = a.lba48;
	d->dma = use_dma && ch->bm && a.dma;
	memcpy(d->model, a.model, sizeof d->model);
	if (!d->lba48 && d->blk.nsectors > LBA28_END)
		d->blk.nsectors = LBA28_END;
	if (blkdev_register(&d->blk) < 0)
		return false;
	ndisks++;
	klog(LOG_INFO, "ata: %s: %s, %u sectors, %s, %s", d->blk.name, d->model,
	     d->blk.nsectors, d->lba48 ? "lba48" : "lba28", d->dma ? "dma" : "pio");
	return true;
}

/* The IDE controller's bus-master registers, if it has them: BAR4, I/O. */
static uint16_t bus_master(const struct pci_info *ide)
{
	if (!ide || !(ide->prog_if & 0x80) || !(ide->bar[4].flags & PCI_BAR_IO) ||
	    ide->bar[4].size < 16 || !ide->bar[4].base)
		return 0;
	pci_enable_bus_master(ide);
	return ide->bar[4].base;
}

/*
 * Find the drives on both channels. The PCI IDE function, if any, gives
 * the bus-master registers; its channels must be in compatibility mode
 * (the legacy ports and IRQ 14 and 15: prog-if bits 0 and 2 clear).
 * Runs at boot with interrupts on (the probe's deadlines count ticks)
 * but before any thread.
 */
void ata_init(bool use_dma)
{
	const struct pci_info *ide = pci_find_class(PCI_CLASS_STORAGE, PCI_SUB_IDE, NULL);
	if (ide && (ide->prog_if & 0x05)) {
		klog(LOG_WARN, "ata: the IDE controller is in native PCI mode; not used");
		return;
	}
	uint16_t bm = bus_master(ide);
	for (int c = 0; c < 2; c++) {
		struct channel *ch = &channels[c];
		ch->bm = bm ? bm + 8 * c : 0;
		ch->prdt = prdts[c];
		ch->selected = -1;
		outb(ch->ctl, CTL_NIEN);	/* no interrupts while probing */
		bool found = probe(ch, 0, use_dma);
		found |= probe(ch, 1, use_dma);
		outb(ch->ctl, 0);
		if (found)
			irq_set(ch->irq, c == 0 ? irq_primary : irq_secondary);
	}
	if (!ndisks)
		klog(LOG_INFO, "ata: no disk");
}
