/*
 * mptable.c: the MP floating pointer and the MP configuration table
 * (Intel MultiProcessor Specification 1.4, chapter 4; docs/smp.md).
 *
 * The floating pointer ("_MP_", 16-byte aligned, checksummed) gives the
 * physical address of the configuration table ("PCMP"): a header with
 * the local APICs' address and an entry count, then entries whose length
 * follows from their type: 20 bytes for a processor, 8 for a bus, an
 * I/O APIC, an I/O interrupt assignment or a local interrupt. Every
 * count, length and offset is checked against the buffer before use; a
 * failing function returns a short reason, a passing one NULL.
 */
#include "arch/x86/mptable.h"

enum {
	MP_CPU = 0, MP_BUS = 1, MP_IOAPIC = 2, MP_IOINT = 3, MP_LOCALINT = 4,
};
#define CPU_ENTRY_LEN	20
#define OTHER_ENTRY_LEN	8
#define CPU_ENABLED	1u	/* processor entry, flags bit 0 */
#define IOAPIC_ENABLED	1u
#define INT_VECTORED	0	/* an I/O interrupt entry's type: a plain interrupt */
#define ALL_IOAPICS	0xFF	/* destination: every I/O APIC */

static uint32_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool has_sig(const uint8_t *p, const char *s)
{
	return p[0] == s[0] && p[1] == s[1] && p[2] == s[2] && p[3] == s[3];
}

static bool sums_to_zero(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

/* The first floating pointer on a 16-byte boundary of area whose 16
 * bytes sum to 0 (another "_MP_" is a coincidence in other data): its
 * offset, or -1. */
long mp_float_find(const uint8_t *area, size_t len)
{
	for (size_t off = 0; off + MP_FLOAT_LEN <= len; off += 16)
		if (has_sig(area + off, "_MP_") && sums_to_zero(area + off, MP_FLOAT_LEN))
			return (long)off;
	return -1;
}

/* Its length byte counts 16-byte units, and 1 is the only size defined;
 * a non-zero feature byte 1 names one of the specification's default
 * configurations, which have no table to read: refused, as is a
 * pointer to nothing. */
const char *mp_float_parse(const uint8_t *p, size_t avail, uint32_t *config_phys)
{
	if (avail < MP_FLOAT_LEN || !has_sig(p, "_MP_"))
		return "no MP floating pointer";
	if (p[8] != 1 || !sums_to_zero(p, MP_FLOAT_LEN))
		return "MP floating pointer checksum";
	if (p[11] != 0)
		return "MP default configuration";
	*config_phys = le32(p + 4);
	if (*config_phys == 0)
		return "no MP configuration table";
	return NULL;
}

/* The base table's length from its header (MP_HDR_LEN bytes): what the
 * caller reads before parsing. */
uint32_t mp_config_len(const uint8_t *hdr)
{
	return le16(hdr + 4);
}

static size_t entry_len(uint8_t type)
{
	if (type == MP_CPU)
		return CPU_ENTRY_LEN;
	return type <= MP_LOCALINT ? OTHER_ENTRY_LEN : 0;
}

/* A bit per bus id (they are bytes): the buses that are ISA. */
struct isa_buses {
	uint32_t bit[8];
};

static void first_pass_entry(const uint8_t *e, struct madt_info *mi, struct isa_buses *isa)
{
	switch (e[0]) {
	case MP_CPU:
		if (!(e[3] & CPU_ENABLED))
			return;
		if (mi->ncpus == MADT_MAX_CPUS)
			mi->extra++;
		else
			mi->apic_id[mi->ncpus++] = e[1];
		return;
	case MP_BUS:
		/* The type is six bytes padded with blanks: "ISA   ". */
		if (e[2] == 'I' && e[3] == 'S' && e[4] == 'A' && e[5] == ' ')
			isa->bit[e[1] / 32] |= 1u << (e[1] % 32);
		return;
	case MP_IOAPIC:
		if ((e[3] & IOAPIC_ENABLED) && !mi->have_ioapic) {
			mi->have_ioapic = true;
			mi->ioapic_id = e[1];
			mi->ioapic_phys = le32(e + 4);
			mi->ioapic_gsi_base = 0;	/* inputs are counted from its 0 */
		}
		return;
	default:
		return;
	}
}

/* An interrupt from an ISA bus's IRQ 0-15 into the first I/O APIC: where
 * that IRQ enters it, and how (the flags are MPS INTI flags, madt.h). */
static void isa_assignment(const uint8_t *e, struct madt_info *mi, const struct isa_buses *isa)
{
	uint8_t bus = e[4], irq = e[5], dst = e[6];

	if (e[1] != INT_VECTORED || !(isa->bit[bus / 32] & 1u << (bus % 32)) || irq >= ISA_IRQS)
		return;
	if (!mi->have_ioapic || (dst != mi->ioapic_id && dst != ALL_IOAPICS))
		return;
	mi->isa[irq] = (struct isa_irq){ e[7], (uint16_t)le16(e + 2) };
}

/* Each of the count entries lies inside the len bytes of the table and
 * has a type whose length is known (an unknown type's is not: the walk
 * could not go on). The first pass takes the processors, buses and
 * I/O APICs, the second the interrupt assignments. */
static const char *walk(const uint8_t *p, uint32_t len, struct madt_info *mi,
			struct isa_buses *isa, bool assignments)
{
	uint32_t count = le16(p + 34), off = MP_HDR_LEN;

	for (uint32_t i = 0; i < count; i++) {
		if (off >= len)
			return "MP entries past the table";
		size_t n = entry_len(p[off]);
		if (n == 0)
			return "unknown MP entry type";
		if (n > len - off)
			return "MP entries past the table";
		if (!assignments)
			first_pass_entry(p + off, mi, isa);
		else if (p[off] == MP_IOINT)
			isa_assignment(p + off, mi, isa);
		off += n;
	}
	return NULL;
}

static const char *config_walk(const uint8_t *p, size_t avail, struct madt_info *mi)
{
	struct isa_buses isa = { { 0 } };
	const char *why;

	if (avail < MP_HDR_LEN || !has_sig(p, "PCMP"))
		return "no MP configuration table signature";
	uint32_t len = mp_config_len(p);
	if (len < MP_HDR_LEN || len > avail)
		return "bad MP table length";
	if (!sums_to_zero(p, len))
		return "MP table checksum";
	mi->lapic_phys = le32(p + 36);
	/* Buses and I/O APICs first, wherever they lie, then the
	 * assignments that name them. */
	if ((why = walk(p, len, mi, &isa, false)) || (why = walk(p, len, mi, &isa, true)))
		return why;
	if (mi->ncpus == 0)
		return "no enabled processor";
	if (mi->lapic_phys == 0 || (mi->lapic_phys & 0xFFF))
		return "bad local APIC address";
	return NULL;
}

/* On failure *mi says nothing was found: a half-read table is never
 * used. */
const char *mp_config_parse(const uint8_t *p, size_t avail, struct madt_info *mi)
{
	madt_info_reset(mi);
	const char *why = config_walk(p, avail, mi);
	if (why)
		madt_info_reset(mi);
	return why;
}
