/*
 * pci.c: PCI configuration space through mechanism 1 (docs/storage.md,
 * "PCI"). A 32-bit write to port 0xCF8 names a register - enable bit,
 * bus, device, function, offset - and port 0xCFC then reads or writes
 * it. pci_init() tries every bus, device and function once at boot and
 * keeps what it finds, BAR sizes included, for drivers and for lspci.
 */
#include <stddef.h>
#include "dev/pci.h"
#include "arch/x86/x86.h"
#include "lib/kprintf.h"
#include "sync/spinlock.h"

#define CFG_ADDR 0xCF8
#define CFG_DATA 0xCFC
#define CFG_ENABLE 0x80000000u

/* Registers of the configuration header. */
#define REG_ID      0x00	/* vendor, device */
#define REG_COMMAND 0x04	/* command (low half), status (high half) */
#define REG_CLASS   0x08	/* revision, prog-if, subclass, class */
#define REG_HEADER  0x0C	/* header type in bits 16-23 */
#define REG_BAR0    0x10
#define REG_IRQ     0x3C	/* line, pin */

#define CMD_IO     0x1		/* decode I/O ports */
#define CMD_MEM    0x2		/* decode memory */
#define CMD_MASTER 0x4		/* may start bus cycles: DMA */

#define HEADER_MULTI 0x80	/* function 0: the device has functions 1-7 */
#define NO_DEVICE 0xFFFF	/* vendor read from an empty slot */

/* The address and data ports are one register pair: an access is two
 * port operations that no other CPU may split. */
static struct spinlock cfg_lock = SPINLOCK_INIT("pci config");
/* Lock tags (docs/sync.md): [b] boot. */
static struct pci_info devs[PCI_MAX];	/* [b] */
static int ndevs;			/* [b] */

static uint32_t cfg_read(const struct pci_info *d, uint8_t reg)
{
	uint32_t f = spin_lock(&cfg_lock);
	outl(CFG_ADDR, CFG_ENABLE | d->bus << 16 | d->dev << 11 | d->fn << 8 | (reg & 0xFC));
	uint32_t v = inl(CFG_DATA);
	spin_unlock(&cfg_lock, f);
	return v;
}

static void cfg_write(const struct pci_info *d, uint8_t reg, uint32_t v)
{
	uint32_t f = spin_lock(&cfg_lock);
	outl(CFG_ADDR, CFG_ENABLE | d->bus << 16 | d->dev << 11 | d->fn << 8 | (reg & 0xFC));
	outl(CFG_DATA, v);
	spin_unlock(&cfg_lock, f);
}

/* Mechanism 1 is there if the address port keeps what is written to it. */
static bool mechanism1(void)
{
	uint32_t f = spin_lock(&cfg_lock);
	outl(CFG_ADDR, CFG_ENABLE);
	bool ok = inl(CFG_ADDR) == CFG_ENABLE;
	outl(CFG_ADDR, 0);
	spin_unlock(&cfg_lock, f);
	return ok;
}

/*
 * The size a BAR decodes: write all ones, read back which address bits
 * stuck at zero, put the original back. A 16-bit I/O decoder reads the
 * upper half as zeros, hence the mask for ports. Decoding is off
 * meanwhile (the caller's job), so the all-ones address hits nothing.
 */
static void size_bar(struct pci_info *d, int i)
{
	uint8_t reg = REG_BAR0 + 4 * i;
	uint32_t orig = cfg_read(d, reg);
	cfg_write(d, reg, 0xFFFFFFFF);
	uint32_t probe = cfg_read(d, reg);
	cfg_write(d, reg, orig);
	struct pci_bar_info *b = &d->bar[i];
	if (orig & 1) {
		b->flags = PCI_BAR_IO;
		b->base = orig & ~3u;
		b->size = probe & ~3u ? (~(probe & ~3u) + 1) & 0xFFFF : 0;
		return;
	}
	b->flags = ((orig >> 1) & 3) == 2 ? PCI_BAR_MEM64 : 0;
	b->flags |= orig & 0x8 ? PCI_BAR_PREFETCH : 0;
	b->base = orig & ~0xFu;
	b->size = probe & ~0xFu ? ~(probe & ~0xFu) + 1 : 0;
}

static int bar_count(uint8_t header)
{
	switch (header) {
	case 0: return PCI_BARS;	/* a device */
	case 1: return 2;		/* a PCI-to-PCI bridge */
	default: return 0;		/* CardBus bridges and unknown kinds */
	}
}

/* Read the BARs with decoding off, then restore the command register. */
static void read_bars(struct pci_info *d)
{
	uint32_t cmd = cfg_read(d, REG_COMMAND) & 0xFFFF;
	cfg_write(d, REG_COMMAND, cmd & ~(CMD_IO | CMD_MEM));
	for (int i = 0; i < bar_count(d->header); i++) {
		size_bar(d, i);
		if (d->bar[i].flags & PCI_BAR_MEM64)
			i++;	/* the high half: a 32-bit kernel leaves it */
	}
	cfg_write(d, REG_COMMAND, cmd);
}

static void record(uint8_t bus, uint8_t dev, uint8_t fn)
{
	struct pci_info d = { .bus = bus, .dev = dev, .fn = fn };
	uint32_t id = cfg_read(&d, REG_ID), cls = cfg_read(&d, REG_CLASS);
	uint32_t irq = cfg_read(&d, REG_IRQ);
	d.vendor = id & 0xFFFF;
	d.device = id >> 16;
	d.revision = cls & 0xFF;
	d.prog_if = cls >> 8;
	d.subclass = cls >> 16;
	d.class_code = cls >> 24;
	d.header = (cfg_read(&d, REG_HEADER) >> 16) & 0x7F;
	d.irq_line = irq & 0xFF;
	d.irq_pin = (irq >> 8) & 0xFF;
	if (!d.irq_pin)
		d.irq_line = 0xFF;
	read_bars(&d);
	if (ndevs == PCI_MAX) {
		klog(LOG_WARN, "pci: %02x:%02x.%x ignored: more than %d functions",
		     bus, dev, fn, PCI_MAX);
		return;
	}
	devs[ndevs++] = d;
	klog(LOG_INFO, "pci: %02x:%02x.%x %04x:%04x class %02x.%02x.%02x irq %d",
	     bus, dev, fn, d.vendor, d.device, d.class_code, d.subclass, d.prog_if,
	     d.irq_line == 0xFF ? -1 : d.irq_line);
}

/* Every function of bus/dev: function 0 says whether there are others. */
static void scan_device(uint8_t bus, uint8_t dev)
{
	struct pci_info d = { .bus = bus, .dev = dev };
	if ((cfg_read(&d, REG_ID) & 0xFFFF) == NO_DEVICE)
		return;
	int nfn = (cfg_read(&d, REG_HEADER) >> 16) & HEADER_MULTI ? 8 : 1;
	for (int fn = 0; fn < nfn; fn++) {
		d.fn = fn;
		if ((cfg_read(&d, REG_ID) & 0xFFFF) != NO_DEVICE)
			record(bus, dev, fn);
	}
}

/* The brute-force walk: 256 buses of 32 devices, a few thousand reads at
 * boot, and no bridge programming to trust. */
void pci_init(void)
{
	if (!mechanism1()) {
		klog(LOG_INFO, "pci: no configuration mechanism 1; no PCI devices");
		return;
	}
	for (int bus = 0; bus < 256; bus++)
		for (int dev = 0; dev < 32; dev++)
			scan_device(bus, dev);
	klog(LOG_INFO, "pci: %d functions", ndevs);
}

int pci_count(void)
{
	return ndevs;
}

const struct pci_info *pci_get(int i)
{
	return i >= 0 && i < ndevs ? &devs[i] : NULL;
}

const struct pci_info *pci_find_class(uint8_t class_code, uint8_t subclass,
				      const struct pci_info *after)
{
	for (int i = after ? after - devs + 1 : 0; i < ndevs; i++)
		if (devs[i].class_code == class_code && devs[i].subclass == subclass)
			return &devs[i];
	return NULL;
}

const struct pci_info *pci_find_id(uint16_t vendor, uint16_t device)
{
	for (int i = 0; i < ndevs; i++)
		if (devs[i].vendor == vendor && devs[i].device == device)
			return &devs[i];
	return NULL;
}

/* The status half is written as zeros: its bits clear on a one. */
void pci_enable_bus_master(const struct pci_info *d)
{
	uint32_t cmd = cfg_read(d, REG_COMMAND) & 0xFFFF;
	cfg_write(d, REG_COMMAND, cmd | CMD_IO | CMD_MEM | CMD_MASTER);
}
