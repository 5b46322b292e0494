/*
 * lapic.c: the local APIC (Intel SDM vol. 3A, chapter 10; docs/smp.md).
 *
 * Every CPU reaches its own local APIC at the same physical address, a
 * page of 32-bit registers 16 bytes apart. That page lies above 16 MiB,
 * in what is user space in every address space, so it gets a kernel
 * address among the device pages (kernel_device_map, mm/paging.c),
 * uncached: the caller maps it (kernel_device_map). The kernel reads who
 * it is, starts and stops the other CPUs with IPIs, and, when the I/O
 * APIC delivers the device interrupts, enables it and acknowledges them
 * here (docs/interrupts.md). Every CPU's timer is calibrated against the
 * PIT and drives its preemption (docs/smp.md).
 */
#include <stddef.h>
#include "arch/x86/lapic.h"
#include "arch/x86/pit.h"
#include "arch/x86/x86.h"

#define LAPIC_ID	0x020	/* bits 31-24: this CPU's APIC id */
#define LAPIC_VERSION	0x030
#define LAPIC_TPR	0x080	/* task priority: 0 accepts every vector */
#define LAPIC_EOI	0x0B0	/* any write ends the interrupt in service */
#define LAPIC_SVR	0x0F0	/* spurious vector; bit 8 enables the APIC */
#define LAPIC_ICR_LO	0x300	/* writing it sends the IPI */
#define LAPIC_ICR_HI	0x310	/* bits 31-24: the destination */
#define LAPIC_LVT_TIMER	0x320	/* bit 16: masked; bit 17: periodic */
#define LAPIC_LINT0	0x350	/* the local interrupt pin the 8259s drive */
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR	0x390
#define LAPIC_TIMER_DIV	0x3E0	/* 3: divide by 16 */
#define ICR_PENDING	(1u << 12)	/* delivery status: not yet accepted */
#define ICR_FIXED	0x00004000u	/* fixed delivery, level assert; | vector */
#define ICR_NMI		0x00004400u	/* NMI delivery (the vector is ignored) */
#define ICR_OTHERS	(3u << 18)	/* shorthand: every CPU but the sender */
#define SVR_ENABLE	(1u << 8)
#define LVT_MASKED	(1u << 16)
#define LVT_PERIODIC	(1u << 17)
#define DIV_16		3
#define IPI_SPINS	1000000	/* reads of the status before giving up */
#define CPUID_APIC	(1u << 9)	/* CPUID leaf 1, EDX: a local APIC */

/* Lock tags (docs/sync.md): [b] boot. */
static volatile uint32_t *lapic;	/* [b] the registers, or NULL */

static uint32_t cpuid1_edx(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d;
}

static uint32_t lapic_read(unsigned reg)
{
	return lapic[reg / 4];
}

/* Whether this CPU has a local APIC (not a 486, nor QEMU's -cpu ...,-apic). */
bool lapic_present(void)
{
	return cpuid1_edx() & CPUID_APIC;
}

/* Uses the registers mapped at regs (NULL: none could be mapped); false
 * if nothing answers there. Precondition: lapic_present(). */
bool lapic_init(volatile void *regs)
{
	lapic = regs;
	/* Nothing at the address reads as all ones. */
	return lapic != NULL && (lapic_read(LAPIC_VERSION) & 0xFF) != 0xFF;
}

static void lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

/* Sends the interrupt command cmd to the CPU with apic_id and waits until
 * its local APIC has accepted it; false if it never does. The wait counts
 * reads, not time: acceptance takes a few bus cycles, and a timeout here
 * only guards against a dead APIC (the caller's delays use the PIT).
 * Precondition: lapic_init; interrupts off (an IPI sent by an interrupt
 * handler between the two writes would change the destination). */
bool lapic_ipi(unsigned apic_id, uint32_t cmd)
{
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, cmd);
	for (int i = 0; i < IPI_SPINS; i++)
		if (!(lapic_read(LAPIC_ICR_LO) & ICR_PENDING))
			return true;
	return false;
}

/* lapic_ipi for any time: the command is two register writes, and an
 * interrupt handler on this CPU that sent an IPI between them would
 * change the destination under us, so interrupts are off across both
 * and the wait for acceptance. */
static bool send(unsigned apic_id, uint32_t cmd)
{
	uint32_t flags = read_eflags();

	cli();
	bool ok = lapic_ipi(apic_id, cmd);
	if (flags & EFLAGS_IF)
		sti();
	return ok;
}

/* Interrupt vector (>= 32) on the CPU with apic_id; false if its
 * local APIC never accepted it. Precondition: lapic_init. */
bool lapic_send_fixed(unsigned apic_id, unsigned vector)
{
	return send(apic_id, ICR_FIXED | (vector & 0xFF));
}

/* A non-maskable interrupt to the CPU with apic_id: it arrives even
 * with interrupts off, and wakes a CPU halted with them off. */
bool lapic_send_nmi(unsigned apic_id)
{
	return send(apic_id, ICR_NMI);
}

/* The same to every CPU but this one, in one command. */
bool lapic_send_fixed_others(unsigned vector)
{
	return send(0, ICR_FIXED | ICR_OTHERS | (vector & 0xFF));
}

bool lapic_send_nmi_others(void)
{
	return send(0, ICR_NMI | ICR_OTHERS);
}

/* Software-enables this CPU's local APIC, so that it accepts the
 * interrupts the I/O APIC, the other CPUs and its timer send it, with
 * spurious_vector for the spurious ones (which need no EOI). LINT0 is
 * left as it is: on the boot CPU the 8259s may still deliver through it.
 * Precondition: lapic_init; interrupts off. */
void lapic_enable(unsigned spurious_vector)
{
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | (spurious_vector & 0xFF));
}

/* Masks LINT0, the 8259s' pin, whose interrupts would otherwise arrive
 * next to the I/O APIC's. Precondition: lapic_init; interrupts off. */
void lapic_mask_pic(void)
{
	lapic_write(LAPIC_LINT0, LVT_MASKED);
}

/* Ends the interrupt in service on this CPU, which lets the APIC deliver
 * the next of equal or lower priority. */
void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* The APIC id of the CPU that runs this. Precondition: lapic_init. */
unsigned lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

static void wait_tick_edge(void)
{
	uint32_t t = pit_ticks();

	while (pit_ticks() == t)
		__asm__ volatile("pause");
}

uint32_t lapic_timer_calibrate(void)
{
	lapic_write(LAPIC_TIMER_DIV, DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	wait_tick_edge();
	lapic_write(LAPIC_TIMER_INIT, 0xFFFFFFFFu);
	wait_tick_edge();
	wait_tick_edge();
	uint32_t left = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	return (0xFFFFFFFFu - left) / 2;
}

void lapic_timer_start(unsigned vector, uint32_t count)
{
	lapic_write(LAPIC_TIMER_DIV, DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | vector);
	lapic_write(LAPIC_TIMER_INIT, count ? count : 1);
}
