/*
 * pic.c: the 8259A pair. At reset the master delivers IRQ0-7 at vectors
 * 8-15, on top of CPU exceptions; we move IRQ0-15 to 0x20-0x2F
 * (docs/abi/README.md §7.4) and start with every line masked.
 */
#include <stdint.h>
#include "arch/x86/pic.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1
#define OCW3_READ_ISR 0x0B
#define PIC_EOI 0x20

/* Lock tags (docs/sync.md): [b] boot. */
static uint16_t mask = 0xFFFB;	/* [b] all masked but the cascade (IRQ2) */

static void write_mask(void)
{
	outb(PIC1_DATA, mask & 0xFF);
	outb(PIC2_DATA, mask >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, 0x11);		/* ICW1: edge, cascade, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, T_IRQ0);	/* ICW2: vector base */
	outb(PIC2_DATA, T_IRQ0 + 8);
	outb(PIC1_DATA, 1 << 2);	/* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, 0x01);		/* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	write_mask();
}

/* Called at boot by drivers, before any thread runs: only the boot
 * CPU's boot context writes the mask. (The disks' lines are unmasked
 * after sti, once their probe is over; an interrupt in between does not
 * touch the mask.) */
void pic_unmask(int irq)
{
	mask &= ~(1u << irq);
	write_mask();
}

/* Masks every line for good: the I/O APIC delivers the IRQs instead
 * (trap.c, irq_use_ioapic). Precondition: boot, interrupts off. */
void pic_disable(void)
{
	mask = 0xFFFF;
	write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

/*
 * IRQ7 and IRQ15 also arrive when a request vanished before the CPU
 * acknowledged it. A real one has its in-service bit set; a spurious one
 * must not be acknowledged (except at the master, for the slave's).
 */
bool pic_spurious(int irq)
{
	if (irq == 7) {
		outb(PIC1_CMD, OCW3_READ_ISR);
		return !(inb(PIC1_CMD) & 0x80);
	}
	if (irq == 15) {
		outb(PIC2_CMD, OCW3_READ_ISR);
		if (!(inb(PIC2_CMD) & 0x80)) {
			outb(PIC1_CMD, PIC_EOI);
			return true;
		}
	}
	return false;
}
