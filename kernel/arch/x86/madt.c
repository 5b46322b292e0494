/*
 * madt.c: the ACPI tables that list the processors (docs/smp.md).
 *
 * The chain is RSDP -> RSDT -> MADT ("APIC"). Each step is checked:
 * signature, length within what the caller may read, checksum (all the
 * table's bytes sum to 0 mod 256). A failing function returns a short
 * reason, which the caller prints before falling back to one CPU; a
 * passing one returns NULL.
 */
#include "arch/x86/madt.h"

/* Tables are byte streams with no alignment promise: read fields byte by
 * byte (little-endian), never through a cast pointer. */
static uint32_t rd32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool same(const uint8_t *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)s[i])
			return false;
	return true;
}

bool acpi_sum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

/* The RSDP sits on a 16-byte boundary of the area searched; a signature
 * whose checksum fails is a coincidence in some other data, so the search
 * goes on. Returns the offset of the first good one, or -1. */
long rsdp_find(const uint8_t *area, size_t len)
{
	for (size_t off = 0; off + RSDP_V1_LEN <= len; off += 16)
		if (same(area + off, "RSD PTR ", 8) && acpi_sum_ok(area + off, RSDP_V1_LEN))
			return (long)off;
	return -1;
}

/* Only the ACPI 1.0 part is used: the RSDT's 32-bit address is all a
 * 32-bit kernel can follow, and every revision has it. */
const char *rsdp_parse(const uint8_t *p, size_t avail, uint32_t *rsdt_phys)
{
	if (avail < RSDP_V1_LEN || !same(p, "RSD PTR ", 8))
		return "no RSDP signature";
	if (!acpi_sum_ok(p, RSDP_V1_LEN))
		return "RSDP checksum";
	*rsdt_phys = rd32(p + 16);
	if (*rsdt_phys == 0)
		return "RSDP has no RSDT";
	return NULL;
}

/* A table's header: its signature, and a length that covers the header,
 * fits in what may be read, and sums to 0. */
const char *sdt_check(const uint8_t *p, size_t avail, const char *sig)
{
	if (avail < SDT_HDR_LEN)
		return "table truncated";
	if (!same(p, sig, 4))
		return "wrong signature";
	uint32_t len = rd32(p + 4);
	if (len < SDT_HDR_LEN || len > avail)
		return "bad table length";
	if (!acpi_sum_ok(p, len))
		return "table checksum";
	return NULL;
}

/* Precondition: sdt_check(rsdt, ..., "RSDT") passed. The entries are
 * 32-bit physical addresses after the header. */
const char *rsdt_entry(const uint8_t *rsdt, unsigned i, uint32_t *phys)
{
	uint32_t n = (rd32(rsdt + 4) - SDT_HDR_LEN) / 4;

	if (i >= n)
		return "no such entry";
	*phys = rd32(rsdt + SDT_HDR_LEN + 4 * i);
	return NULL;
}

enum {
	MADT_LAPIC = 0,		/* a processor's local APIC */
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,	/* an ISA IRQ wired to another GSI, or not edge/high */
	MADT_LAPIC_ADDR = 5,	/* a 64-bit local APIC address override */
};
#define MADT_ENTRIES	44	/* after the header, the address and flags */
#define LAPIC_ENABLED	1u	/* flags bit 0: the processor is usable */

/* One entry, of length p[1] >= 2, already known to lie in the table. */
static const char *madt_entry(const uint8_t *e, struct madt_info *mi)
{
	switch (e[0]) {
	case MADT_LAPIC:
		if (e[1] < 8)
			return "short processor entry";
		if (!(rd32(e + 4) & LAPIC_ENABLED))
			return NULL;
		if (mi->ncpus == MADT_MAX_CPUS)
			mi->extra++;
		else
			mi->apic_id[mi->ncpus++] = e[3];
		return NULL;
	case MADT_IOAPIC:
		if (e[1] < 12)
			return "short I/O APIC entry";
		if (!mi->have_ioapic) {
			mi->have_ioapic = true;
			mi->ioapic_id = e[2];
			mi->ioapic_phys = rd32(e + 4);
			mi->ioapic_gsi_base = rd32(e + 8);
		}
		return NULL;
	case MADT_OVERRIDE:
		if (e[1] < 10)
			return "short interrupt override entry";
		/* Bus 0 is ISA, the only bus such an entry names; an IRQ
		 * out of its range is not one this kernel routes. */
		if (e[2] == 0 && e[3] < ISA_IRQS)
			mi->isa[e[3]] = (struct isa_irq){ rd32(e + 4), (uint16_t)(e[8] | e[9] << 8) };
		return NULL;
	case MADT_LAPIC_ADDR:
		if (e[1] < 12)
			return "short APIC address entry";
		if (rd32(e + 8) != 0)
			return "local APIC above 4 GiB";
		mi->lapic_phys = rd32(e + 4);
		return NULL;
	default:
		return NULL;	/* kinds this kernel does not use */
	}
}

/* The MADT: the local APIC address, then entries of (type, length, ...).
 * An entry shorter than 2 bytes would never advance (length 0) or would
 * overlap the next one's header: the table is refused, not guessed at. */
static const char *madt_walk(const uint8_t *p, size_t avail, struct madt_info *mi)
{
	const char *why = sdt_check(p, avail, "APIC");

	if (why)
		return why;
	uint32_t len = rd32(p + 4);
	if (len < MADT_ENTRIES)
		return "MADT truncated";
	mi->lapic_phys = rd32(p + 36);
	for (uint32_t off = MADT_ENTRIES; off < len; off += p[off + 1]) {
		if (len - off < 2 || p[off + 1] < 2 || p[off + 1] > len - off)
			return "bad MADT entry length";
		if ((why = madt_entry(p + off, mi)))
			return why;
	}
	if (mi->ncpus == 0)
		return "no enabled processor";
	if (mi->lapic_phys == 0 || (mi->lapic_phys & 0xFFF))
		return "bad local APIC address";
	return NULL;
}

void madt_info_reset(struct madt_info *mi)
{
	*mi = (struct madt_info){ 0 };
	for (unsigned i = 0; i < ISA_IRQS; i++)
		mi->isa[i].gsi = i;
}

/* On failure *mi says one CPU's worth of nothing: a half-read table is
 * never used. */
const char *madt_parse(const uint8_t *p, size_t avail, struct madt_info *mi)
{
	madt_info_reset(mi);
	const char *why = madt_walk(p, avail, mi);
	if (why)
		madt_info_reset(mi);
	return why;
}
