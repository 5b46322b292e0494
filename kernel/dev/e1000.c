/*
 * e1000.c: the Intel 82540EM gigabit Ethernet controller, QEMU's
 * -device e1000 (Intel's "PCI/PCI-X Family of Gigabit Ethernet
 * Controllers Software Developer's Manual"; docs/network.md, "The e1000").
 *
 * The card moves frames between the wire and memory by DMA, through two
 * rings of 16-byte descriptors, each naming a buffer by its physical
 * address. Kernel memory is identity-mapped, so a kmalloc'd address is
 * the physical one the card needs. For a ring the card and the driver
 * each own a stretch: the card fills (receive) or sends (transmit) the
 * descriptors from its head, HEAD, up to the driver's TAIL; when it is
 * done with one it sets the descriptor's DD (descriptor done) bit and
 * moves HEAD on. The driver gives descriptors back by moving TAIL.
 *
 * Received frames are copied out of the ring's buffers, so the buffers
 * never leave the driver; frames to send are copied into the transmit
 * descriptor's own buffer. One copy each way keeps ownership simple: no
 * buffer the card may still write is ever seen by the stack.
 */
#include "dev/e1000.h"
#include "dev/pci.h"
#include "arch/x86/trap.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/layout.h"
#include "mm/paging.h"

#define E1000_VENDOR	0x8086
#define E1000_82540EM	0x100E

/* Registers, byte offsets in BAR0. Every one the driver touches lies in
 * the first 24 KiB of the 128 KiB of registers: only those are mapped. */
#define E1000_MAP_PAGES	6
#define REG_CTRL	0x0000	/* device control */
#define REG_STATUS	0x0008
#define REG_EERD	0x0014	/* EEPROM read */
#define REG_ICR		0x00C0	/* interrupt cause, cleared by reading */
#define REG_IMS		0x00D0	/* interrupt mask set */
#define REG_IMC		0x00D8	/* interrupt mask clear */
#define REG_RCTL	0x0100	/* receive control */
#define REG_TCTL	0x0400	/* transmit control */
#define REG_TIPG	0x0410	/* transmit inter-packet gap */
#define REG_RDBAL	0x2800	/* receive ring: base, length, head, tail */
#define REG_RDBAH	0x2804
#define REG_RDLEN	0x2808
#define REG_RDH		0x2810
#define REG_RDT		0x2818
#define REG_TDBAL	0x3800	/* transmit ring */
#define REG_TDBAH	0x3804
#define REG_TDLEN	0x3808
#define REG_TDH		0x3810
#define REG_TDT		0x3818
#define REG_MPC		0x4010	/* missed packets (no descriptor), cleared by reading */
#define REG_MTA		0x5200	/* multicast table, 128 words */
#define REG_RAL0	0x5400	/* receive address 0: the MAC */
#define REG_RAH0	0x5404
_Static_assert(REG_RAH0 < E1000_MAP_PAGES * PAGE_SIZE, "registers used are mapped");

#define CTRL_SLU	(1u << 6)	/* set link up */
#define CTRL_RST	(1u << 26)
#define STATUS_LU	(1u << 1)	/* link up */
#define EERD_START	(1u << 0)
#define EERD_DONE	(1u << 4)
#define RAH_AV		(1u << 31)	/* address valid */
#define RCTL_EN		(1u << 1)
#define RCTL_BAM	(1u << 15)	/* accept broadcasts (ARP, DHCP) */
#define RCTL_SECRC	(1u << 26)	/* strip the FCS */
#define TCTL_EN		(1u << 1)
#define TCTL_PSP	(1u << 3)	/* pad short frames */
#define TCTL_CT		(0x0Fu << 4)	/* collision threshold, as the manual advises */
#define TCTL_COLD	(0x40u << 12)	/* collision distance, full duplex */
#define TIPG_82540	(10u | (8u << 10) | (6u << 20))

/* Interrupt causes (ICR, IMS). */
#define INT_TXDW	(1u << 0)	/* a transmit descriptor written back */
#define INT_LSC		(1u << 2)	/* link status changed */
#define INT_RXDMT0	(1u << 4)	/* receive ring running low */
#define INT_RXO		(1u << 6)	/* receive overrun */
#define INT_RXT0	(1u << 7)	/* a frame received */
#define INT_WANTED	(INT_LSC | INT_RXDMT0 | INT_RXO | INT_RXT0)

#define DESC_DD		(1u << 0)	/* status: done */
#define RX_EOP		(1u << 1)	/* status: the last descriptor of a frame */
#define TX_EOP		(1u << 0)	/* command: end of packet */
#define TX_IFCS		(1u << 1)	/* command: insert the FCS */
#define TX_RS		(1u << 3)	/* command: report status (set DD) */
#define TX_ERR		((1u << 1) | (1u << 2))	/* status: excess or late collision */

struct rx_desc {
	uint64_t addr;
	uint16_t len;
	uint16_t csum;
	uint8_t status, errors;
	uint16_t special;
};

struct tx_desc {
	uint64_t addr;
	uint16_t len;
	uint8_t cso, cmd;
	uint8_t status, css;
	uint16_t special;
};
_Static_assert(sizeof(struct rx_desc) == 16 && sizeof(struct tx_desc) == 16, "descriptor size");

#define NRX	32		/* ring lengths: a multiple of 8 (RDLEN, 128 bytes) */
#define NTX	16
#define BUF_SIZE 2048		/* RCTL.BSIZE's reset value */

/* Lock tags (docs/sync.md): [b] boot, [a] atomic (a word written by the
 * interrupt), [o] owner: the driver's one client, the network thread. */
static volatile uint32_t *regs;		/* [b] NULL: no card */
static uint8_t mac[6];			/* [b] */
static void (*irq_hook)(void);		/* [b] */
static volatile struct rx_desc *rx;	/* [b] the ring; contents [o] and the card's */
static volatile struct tx_desc *tx;	/* [b] */
static uint8_t *rx_buf, *tx_buf;	/* [b] NRX and NTX buffers of BUF_SIZE */
static unsigned rx_next;		/* [o] the next descriptor the card will fill */
static bool rx_skip;			/* [o] inside a frame that spans descriptors */
static unsigned tx_tail, tx_clean;	/* [o] next to fill; oldest not reclaimed */
static volatile bool link;		/* [a] STATUS.LU at the last change */
static struct e1000_stats stats;	/* [o] written; read by anyone, word by word */

static uint32_t rd(uint32_t reg)
{
	return regs[reg / 4];
}

static void wr(uint32_t reg, uint32_t v)
{
	regs[reg / 4] = v;
}

/* The descriptors are ordinary (write-back) memory, the tail register
 * uncached: x86 keeps stores in order, so only the compiler must not move
 * a descriptor's stores past the register write. */
static void tail_write(uint32_t reg, uint32_t v)
{
	__asm__ volatile("" ::: "memory");
	wr(reg, v);
}

/* One word of the EEPROM, or -1 if it does not answer. */
static int eeprom_read(unsigned addr)
{
	wr(REG_EERD, (addr << 8) | EERD_START);
	for (int i = 0; i < 100000; i++) {
		uint32_t v = rd(REG_EERD);
		if (v & EERD_DONE)
			return v >> 16;
	}
	return -1;
}

/* The MAC address is the EEPROM's first three words, low byte first;
 * without an EEPROM, whatever receive address 0 holds. */
static void mac_read(void)
{
	for (unsigned i = 0; i < 3; i++) {
		int w = eeprom_read(i);
		if (w < 0) {
			uint32_t lo = rd(REG_RAL0), hi = rd(REG_RAH0);
			memcpy(mac, &lo, 4);
			memcpy(mac + 4, &hi, 2);
			return;
		}
		mac[2 * i] = w & 0xFF;
		mac[2 * i + 1] = w >> 8;
	}
}

static bool reset(void)
{
	wr(REG_IMC, ~0u);
	wr(REG_CTRL, rd(REG_CTRL) | CTRL_RST);
	for (int i = 0; i < 100000; i++)
		if (!(rd(REG_CTRL) & CTRL_RST)) {
			wr(REG_IMC, ~0u);	/* the reset may have unmasked */
			rd(REG_ICR);
			return true;
		}
	return false;
}

static void rx_setup(void)
{
	for (unsigned i = 0; i < NRX; i++) {
		rx[i].addr = (uint32_t)(rx_buf + i * BUF_SIZE);
		rx[i].status = 0;
	}
	wr(REG_RDBAL, (uint32_t)rx);
	wr(REG_RDBAH, 0);
	wr(REG_RDLEN, NRX * sizeof *rx);
	wr(REG_RDH, 0);
	wr(REG_RDT, NRX - 1);	/* the card may fill all but one */
	wr(REG_RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);
}

static void tx_setup(void)
{
	for (unsigned i = 0; i < NTX; i++) {
		tx[i].addr = (uint32_t)(tx_buf + i * BUF_SIZE);
		tx[i].status = DESC_DD;	/* free */
	}
	wr(REG_TDBAL, (uint32_t)tx);
	wr(REG_TDBAH, 0);
	wr(REG_TDLEN, NTX * sizeof *tx);
	wr(REG_TDH, 0);
	wr(REG_TDT, 0);
	wr(REG_TIPG, TIPG_82540);
	wr(REG_TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
}

/* The line may be shared (level-triggered): a read of 0 is another
 * device's interrupt. Reading ICR clears the causes and lowers the line. */
static void e1000_irq(struct trapframe *tf)
{
	(void)tf;
	uint32_t icr = rd(REG_ICR);
	if (!icr)
		return;
	if (icr & INT_LSC)
		link = rd(REG_STATUS) & STATUS_LU;
	irq_hook();
}

/* Rings, buffers; false if kernel memory ran out (nothing kept). */
static bool alloc_rings(void)
{
	uint8_t *page = kzalloc(PAGE_SIZE);
	rx_buf = kmalloc(NRX * BUF_SIZE);
	tx_buf = kmalloc(NTX * BUF_SIZE);
	if (!page || !rx_buf || !tx_buf || ((uintptr_t)page & 127)) {
		kfree(page);
		kfree(rx_buf);
		kfree(tx_buf);
		return false;
	}
	rx = (volatile struct rx_desc *)page;
	tx = (volatile struct tx_desc *)(page + NRX * sizeof *rx);
	return true;
}

static volatile uint32_t *map_bar0(const struct pci_info *d)
{
	const struct pci_bar_info *b = &d->bar[0];
	if ((b->flags & PCI_BAR_IO) || b->size < E1000_MAP_PAGES * PAGE_SIZE || (b->base & PAGE_MASK))
		return NULL;
	return kernel_device_map_pages(b->base, E1000_MAP_PAGES);
}

bool e1000_init(void (*hook)(void))
{
	const struct pci_info *d = pci_find_id(E1000_VENDOR, E1000_82540EM);
	if (!d)
		return false;
	if (d->irq_line >= NIRQ) {
		klog(LOG_WARN, "e1000: no interrupt line; not used");
		return false;
	}
	pci_enable_bus_master(d);
	regs = map_bar0(d);
	if (!regs || !reset() || !alloc_rings()) {
		klog(LOG_WARN, "e1000: cannot map, reset or give memory to the card; not used");
		regs = NULL;
		return false;
	}
	mac_read();
	uint32_t lo, hi = 0;
	memcpy(&lo, mac, 4);
	memcpy(&hi, mac + 4, 2);
	wr(REG_RAL0, lo);
	wr(REG_RAH0, hi | RAH_AV);
	for (unsigned i = 0; i < 128; i++)
		wr(REG_MTA + 4 * i, 0);
	wr(REG_CTRL, rd(REG_CTRL) | CTRL_SLU);
	rx_setup();
	tx_setup();
	link = rd(REG_STATUS) & STATUS_LU;
	irq_hook = hook;
	irq_set(d->irq_line, e1000_irq);
	wr(REG_IMS, INT_WANTED);
	klog(LOG_INFO, "e1000: %02x:%02x:%02x:%02x:%02x:%02x at %02x:%02x.%x, IRQ %u, link %s",
	     mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], d->bus, d->dev, d->fn,
	     d->irq_line, link ? "up" : "down");
	return true;
}

bool e1000_present(void)
{
	return regs != NULL;
}

void e1000_mac(uint8_t out[6])
{
	memcpy(out, mac, 6);
}

bool e1000_link_up(void)
{
	return link;
}

/* Count and free the descriptors the card has sent. */
static void tx_reclaim(void)
{
	while (tx_clean != tx_tail && (tx[tx_clean].status & DESC_DD)) {
		volatile struct tx_desc *t = &tx[tx_clean];
		if (t->status & TX_ERR) {
			stats.errors++;
		} else {
			stats.tx_packets++;
			stats.tx_bytes += t->len;
		}
		tx_clean = (tx_clean + 1) % NTX;
	}
}

/* One received descriptor: deliver its frame unless damaged or part of
 * a frame too long for one buffer (RCTL.LPE is off: never on a sane
 * network, but the wire is not trusted). */
static void rx_one(volatile struct rx_desc *r, unsigned i,
		   bool (*deliver)(const void *, size_t, void *), void *arg)
{
	bool eop = r->status & RX_EOP;
	if (rx_skip || !eop || r->errors || r->len == 0 || r->len > BUF_SIZE) {
		if (!rx_skip)
			stats.errors++;
		rx_skip = !eop;
		return;
	}
	if (!deliver(rx_buf + i * BUF_SIZE, r->len, arg)) {
		stats.rx_drops++;
		return;
	}
	stats.rx_packets++;
	stats.rx_bytes += r->len;
}

int e1000_rx_poll(bool (*deliver)(const void *frame, size_t len, void *arg), void *arg)
{
	int n = 0;
	while (rx[rx_next].status & DESC_DD) {
		volatile struct rx_desc *r = &rx[rx_next];
		rx_one(r, rx_next, deliver, arg);
		r->status = 0;
		tail_write(REG_RDT, rx_next);	/* the buffer is the card's again */
		rx_next = (rx_next + 1) % NRX;
		n++;
	}
	stats.rx_drops += rd(REG_MPC);
	tx_reclaim();	/* so that the send counters do not wait for the next send */
	return n;
}

int e1000_send(size_t len, void (*fill)(void *buf, size_t len, void *arg), void *arg)
{
	if (len == 0 || len > E1000_FRAME_MAX - 4)
		return -EINVAL;
	tx_reclaim();
	unsigned next = (tx_tail + 1) % NTX;
	if (next == tx_clean)
		return -EBUSY;
	volatile struct tx_desc *t = &tx[tx_tail];
	fill(tx_buf + tx_tail * BUF_SIZE, len, arg);
	t->len = len;
	t->cmd = TX_EOP | TX_IFCS | TX_RS;
	t->status = 0;
	tx_tail = next;
	tail_write(REG_TDT, tx_tail);
	return 0;
}

void e1000_stats(struct e1000_stats *out)
{
	*out = stats;
}
