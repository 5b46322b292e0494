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
#define SDT_HDR_LEN	36	/* every system description table's header */

/* What the MADT says about the machine. */
struct madt_info {
	uint32_t lapic_phys;		/* the local APICs' MMIO page */
	unsigned ncpus;			/* enabled processors kept, <= MADT_MAX_CPUS */
	unsigned extra;			/* enabled processors past MADT_MAX_CPUS */
	uint8_t apic_id[MADT_MAX_CPUS];	/* their local APIC ids, table order */
	bool have_ioapic;
	uint8_t ioapic_id;		/* the first I/O APIC's */
	uint32_t ioapic_phys;
};

bool acpi_sum_ok(const uint8_t *p, size_t len);
long rsdp_find(const uint8_t *area, size_t len);
const char *rsdp_parse(const uint8_t *p, size_t avail, uint32_t *rsdt_phys);
const char *sdt_check(const uint8_t *p, size_t avail, const char *sig);
const char *rsdt_entry(const uint8_t *rsdt, unsigned i, uint32_t *phys);
const char *madt_parse(const uint8_t *p, size_t avail, struct madt_info *mi);

#endif
