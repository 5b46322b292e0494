/*
 * ioapic.c: the I/O APIC (Intel 82093AA datasheet; docs/interrupts.md).
 *
 * The I/O APIC takes the machine's interrupt lines, each an input with a
 * global system interrupt number (GSI: its input number plus the chip's
 * gsi_base), and sends each to a CPU's local APIC as a message: which
 * vector, to which APIC id, edge or level, active high or low. That is
 * its redirection table, one 64-bit entry per input. Unlike the 8259s it
 * can send any line to any CPU, and it has more lines (24 on a PC) for
 * PCI devices. The registers are reached through a window: write a
 * register's index to IOREGSEL, then read or write IOWIN.
 */
#include <stddef.h>
#include "arch/x86/ioapic.h"
#include "arch/x86/x86.h"

#define IOREGSEL	0x00	/* byte offsets in the MMIO page */
#define IOWIN		0x10
#define REG_VER		0x01	/* bits 23-16: the last redirection entry */
#define REG_REDIR	0x10	/* entry n: registers 0x10 + 2n (low), + 1 (high) */
#define RED_MASKED	(1u << 16)
#define RED_LEVEL	(1u << 15)
#define RED_LOW		(1u << 13)	/* active low */

/* Lock tags (docs/sync.md): [b] boot, [a] atomic. */
static volatile uint32_t *ioapic;	/* [b] the registers, or NULL */
static uint32_t base;			/* [b] the GSI of input 0 */
static unsigned inputs;			/* [b] redirection entries */
/* [a] 1 while a CPU uses the register window: xchg only. The arch layer
 * has no spinlock (sync is above it), so this is one, spelled out. */
static volatile uint32_t window;

static uint32_t rd(unsigned reg)
{
	ioapic[IOREGSEL / 4] = reg;
	return ioapic[IOWIN / 4];
}

static void wr(unsigned reg, uint32_t v)
{
	ioapic[IOREGSEL / 4] = reg;
	ioapic[IOWIN / 4] = v;
}

/* Selecting a register and using it are two accesses: another CPU, or
 * an interrupt handler on this one, must not select another in between.
 * Interrupts are off while the window is held, as in a spinlock. */
static uint32_t window_take(void)
{
	uint32_t flags = read_eflags();

	cli();
	while (xchg(&window, 1))
		__asm__ volatile("pause");
	return flags;
}

static void window_give(uint32_t flags)
{
	xchg(&window, 0);
	if (flags & EFLAGS_IF)
		sti();
}

static void entry_write(unsigned n, uint32_t lo, uint32_t hi)
{
	uint32_t f = window_take();
	/* Masked while half written: the high word (the destination) first. */
	wr(REG_REDIR + 2 * n, RED_MASKED);
	wr(REG_REDIR + 2 * n + 1, hi);
	wr(REG_REDIR + 2 * n, lo);
	window_give(f);
}

/* Uses the registers mapped at regs (NULL: none could be mapped), whose
 * first input is gsi_base, and masks every input; false if nothing
 * answers there. Precondition: boot, before interrupts are on. */
bool ioapic_init(volatile void *regs, uint32_t gsi_base)
{
	ioapic = regs;
	if (ioapic == NULL)
		return false;
	uint32_t ver = rd(REG_VER);
	if (ver == 0xFFFFFFFFu)	/* nothing at the address */
		return false;
	base = gsi_base;
	inputs = ((ver >> 16) & 0xFF) + 1;
	for (unsigned i = 0; i < inputs; i++)
		entry_write(i, RED_MASKED, 0);
	return true;
}

/*
 * Sends interrupt line gsi to the CPU whose local APIC id is apic_id, as
 * vector (fixed delivery, physical destination), level- or
 * edge-triggered, active low or high as the firmware's tables say the
 * line is; unmasks it. False if this I/O APIC has no such input or the
 * vector is a CPU exception's. The ISA lines go to the boot CPU at
 * 0x20 + IRQ (trap.c, irq_use_ioapic); a PCI device's driver calls this
 * for its own line. Precondition: ioapic_init succeeded.
 */
bool ioapic_route(uint32_t gsi, unsigned vector, unsigned apic_id, bool level, bool active_low)
{
	if (gsi < base || gsi - base >= inputs || vector < 32 || vector > 0xFF)
		return false;
	uint32_t lo = vector | (level ? RED_LEVEL : 0) | (active_low ? RED_LOW : 0);
	entry_write(gsi - base, lo, (uint32_t)apic_id << 24);
	return true;
}

/* Stops line gsi's interrupts (an input this I/O APIC lacks: nothing). */
void ioapic_mask(uint32_t gsi)
{
	if (ioapic != NULL && gsi >= base && gsi - base < inputs)
		entry_write(gsi - base, RED_MASKED, 0);
}
