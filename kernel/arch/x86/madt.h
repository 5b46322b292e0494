/*
 * madt.h: reading the firmware's description of the processors
 * (docs/smp.md, "Finding the CPUs").
 *
 * Pure parsing: every function takes a buffer and how many of its bytes
 * may be read, and touches nothing else, so that the native unit test
 * (tests/unit/test_madt.c) can feed it hand-built and damaged tables. A
 * table is firmware input: every length and offset in it is checked
 * against the buffer before it is used.
 */
#ifndef ARCH_X86_MADT_H
#define ARCH_X86_MADT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Processors kept; boot/smp.c checks it equals the kernel's MAX_CPUS. */
#define MADT_MAX_CPUS	8

#define RSDP_V1_LEN	20	/* bytes the ACPI 1.0 checksum covers */
#define ISA_IRQS	16	/* the PC's legacy interrupt lines */
#define SDT_HDR_LEN	36	/* every system description table's header */

/*
 * Where one ISA IRQ enters the I/O APIC: its global system interrupt
 * (an I/O APIC input, counted from the first one's gsi_base) and its
 * MPS INTI flags, the encoding both the MADT's interrupt source
 * overrides and the MP tables' interrupt entries use: bits 0-1 the
 * polarity (0 the bus's own, 1 active high, 3 active low), bits 2-3
 * the trigger mode (0 the bus's own, 1 edge, 3 level). The ISA bus's
 * own is edge and active high; no override leaves IRQ n at GSI n.
 */
struct isa_irq {
	uint32_t gsi;
	uint16_t flags;
};

static inline bool inti_active_low(uint16_t flags)
{
	return (flags & 3) == 3;
}

static inline bool inti_level(uint16_t flags)
{
	return (flags >> 2 & 3) == 3;
}

/* What the firmware's tables (the MADT, or the MP tables: mptable.h)
 * say about the machine. */
struct madt_info {
	uint32_t lapic_phys;		/* the local APICs' MMIO page */
	unsigned ncpus;			/* enabled processors kept, <= MADT_MAX_CPUS */
	unsigned extra;			/* enabled processors past MADT_MAX_CPUS */
	uint8_t apic_id[MADT_MAX_CPUS];	/* their local APIC ids, table order */
	bool have_ioapic;
	uint8_t ioapic_id;		/* the first I/O APIC's */
	uint32_t ioapic_phys;
	uint32_t ioapic_gsi_base;	/* the GSI of its input 0 */
	struct isa_irq isa[ISA_IRQS];	/* ISA IRQ n: isa[n] */
};

bool acpi_sum_ok(const uint8_t *p, size_t len);
long rsdp_find(const uint8_t *area, size_t len);
const char *rsdp_parse(const uint8_t *p, size_t avail, uint32_t *rsdt_phys);
const char *sdt_check(const uint8_t *p, size_t avail, const char *sig);
const char *rsdt_entry(const uint8_t *rsdt, unsigned i, uint32_t *phys);
const char *madt_parse(const uint8_t *p, size_t avail, struct madt_info *mi);
/* *mi with nothing found: no CPU, each ISA IRQ at its own GSI. */
void madt_info_reset(struct madt_info *mi);

#endif
