/*
 * test_madt.c: the ACPI table parser (kernel/arch/x86/madt.c) on
 * hand-built tables: a good RSDP, RSDT and MADT, then damaged ones (bad
 * checksums, lengths past the buffer or inside the header, entries of
 * length 0 or too short), each refused with a reason.
 */
#include <stdio.h>
#include <string.h>
#include "kernel/arch/x86/madt.c"

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

/* Makes bytes [0, len) of p sum to 0 through the byte at sum_at. */
static void fix_sum(uint8_t *p, size_t len, size_t sum_at)
{
	uint8_t s = 0;

	p[sum_at] = 0;
	for (size_t i = 0; i < len; i++)
		s += p[i];
	p[sum_at] = (uint8_t)-s;
}

static uint8_t t[512];
static size_t tlen;

static void madt_begin(uint32_t lapic)
{
	memset(t, 0, sizeof t);
	memcpy(t, "APIC", 4);
	wr32(t + 36, lapic);
	tlen = 44;
}

static void add(const uint8_t *e, size_t n)
{
	memcpy(t + tlen, e, n);
	tlen += n;
}

static void add_cpu(uint8_t id, uint32_t flags)
{
	uint8_t e[8] = { 0, 8, id, id };
	wr32(e + 4, flags);
	add(e, sizeof e);
}

static void madt_end(void)
{
	wr32(t + 4, (uint32_t)tlen);
	fix_sum(t, tlen, 9);
}

static struct madt_info mi;

static void test_good_madt(void)
{
	uint8_t io[12] = { 1, 12, 9, 0 };
	uint8_t nmi[6] = { 4, 6, 0xff, 0, 0, 1 };	/* a kind the parser skips */

	wr32(io + 4, 0xFEC00000);
	madt_begin(0xFEE00000);
	add_cpu(0, 1);
	add_cpu(1, 0);		/* disabled: not counted */
	add_cpu(2, 1);
	add(nmi, sizeof nmi);
	add(io, sizeof io);
	add_cpu(5, 3);
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) == NULL);
	CHECK(mi.lapic_phys == 0xFEE00000 && mi.ncpus == 3 && mi.extra == 0);
	CHECK(mi.apic_id[0] == 0 && mi.apic_id[1] == 2 && mi.apic_id[2] == 5);
	CHECK(mi.have_ioapic && mi.ioapic_id == 9 && mi.ioapic_phys == 0xFEC00000);
	/* More bytes available than the table: only its length counts. */
	CHECK(madt_parse(t, sizeof t, &mi) == NULL && mi.ncpus == 3);
}

/* Interrupt source overrides: QEMU's IRQ0 -> GSI 2, a level/low SCI;
 * ones for another bus or past the ISA lines are ignored; an override
 * too short for its flags is refused. */
static void test_overrides(void)
{
	uint8_t io[12] = { 1, 12, 0, 0 };
	uint8_t irq0[10] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 };
	uint8_t sci[10] = { 2, 10, 0, 9, 9, 0, 0, 0, 0x0F, 0 };
	uint8_t other_bus[10] = { 2, 10, 1, 4, 20, 0, 0, 0, 0x0F, 0 };
	uint8_t past_isa[10] = { 2, 10, 0, 16, 30, 0, 0, 0, 0, 0 };

	wr32(io + 4, 0xFEC00000);
	wr32(io + 8, 0);
	madt_begin(0xFEE00000);
	add_cpu(0, 1);
	add(io, sizeof io);
	add(irq0, sizeof irq0);
	add(sci, sizeof sci);
	add(other_bus, sizeof other_bus);
	add(past_isa, sizeof past_isa);
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) == NULL);
	CHECK(mi.isa[0].gsi == 2 && mi.isa[0].flags == 0);
	CHECK(mi.isa[9].gsi == 9 && inti_level(mi.isa[9].flags) && inti_active_low(mi.isa[9].flags));
	/* The others stay where they are, edge and active high. */
	CHECK(mi.isa[1].gsi == 1 && mi.isa[4].gsi == 4 && mi.isa[4].flags == 0);
	CHECK(!inti_level(mi.isa[1].flags) && !inti_active_low(mi.isa[1].flags));
	CHECK(mi.ioapic_gsi_base == 0);

	t[tlen - 10 + 1] = 8;	/* the last override, cut short */
	t[tlen - 2] = t[tlen - 1] = 0;
	tlen -= 2;
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) != NULL);
	/* A refused table leaves every IRQ at its own GSI. */
	CHECK(mi.isa[0].gsi == 0 && mi.isa[9].gsi == 9 && mi.isa[9].flags == 0);
}

static void test_many_cpus(void)
{
	madt_begin(0xFEE00000);
	for (int i = 0; i < MADT_MAX_CPUS + 3; i++)
		add_cpu((uint8_t)i, 1);
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) == NULL);
	CHECK(mi.ncpus == MADT_MAX_CPUS && mi.extra == 3 && mi.apic_id[MADT_MAX_CPUS - 1] == MADT_MAX_CPUS - 1);
}

static void test_damaged_madt(void)
{
	madt_begin(0xFEE00000);
	add_cpu(0, 1);
	add_cpu(1, 1);
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) == NULL && mi.ncpus == 2);

	t[50] ^= 1;		/* a flipped bit: the checksum fails */
	CHECK(madt_parse(t, tlen, &mi) != NULL && mi.ncpus == 0);
	t[50] ^= 1;

	CHECK(madt_parse(t, tlen - 1, &mi) != NULL);	/* length past the buffer */
	CHECK(madt_parse(t, 20, &mi) != NULL);		/* not even a header */

	wr32(t + 4, 30);	/* length inside the header */
	fix_sum(t, 30, 9);
	CHECK(madt_parse(t, tlen, &mi) != NULL);

	memcpy(t, "FACP", 4);	/* another table */
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) != NULL);
	memcpy(t, "APIC", 4);
	madt_end();

	t[44 + 1] = 0;		/* an entry of length 0 would never advance */
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) != NULL && mi.ncpus == 0);
	t[44 + 1] = 1;		/* of length 1, overlaps the next header */
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) != NULL);
	t[44 + 1] = 4;		/* a processor entry too short for its flags */
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) != NULL);
	t[44 + 1] = 8;
	t[52 + 1] = 9;		/* the last entry runs past the table */
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) != NULL);
	t[52 + 1] = 8;

	madt_begin(0xFEE00000);
	add_cpu(0, 0);		/* no enabled processor */
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) != NULL);
	madt_begin(0);		/* no local APIC address */
	add_cpu(0, 1);
	madt_end();
	CHECK(madt_parse(t, tlen, &mi) != NULL);
}

static void test_rsdp_rsdt(void)
{
	uint8_t area[256] = { 0 };
	uint32_t phys = 0;

	memcpy(area + 40, "RSD PTR ", 8);	/* not on a 16-byte boundary */
	memcpy(area + 64, "RSD PTR ", 8);	/* no good checksum */
	CHECK(rsdp_find(area, sizeof area) == -1);
	memcpy(area + 128, "RSD PTR ", 8);
	wr32(area + 128 + 16, 0x0FFE1000);
	fix_sum(area + 128, RSDP_V1_LEN, 8);
	CHECK(rsdp_find(area, sizeof area) == 128);
	CHECK(rsdp_find(area, 140) == -1);	/* cut short */
	CHECK(rsdp_parse(area + 128, RSDP_V1_LEN, &phys) == NULL && phys == 0x0FFE1000);
	CHECK(rsdp_parse(area + 64, RSDP_V1_LEN, &phys) != NULL);

	uint8_t r[SDT_HDR_LEN + 8] = { 'R', 'S', 'D', 'T' };
	wr32(r + 4, sizeof r);
	wr32(r + SDT_HDR_LEN, 0x1000);
	wr32(r + SDT_HDR_LEN + 4, 0x2000);
	fix_sum(r, sizeof r, 9);
	CHECK(sdt_check(r, sizeof r, "RSDT") == NULL);
	CHECK(rsdt_entry(r, 1, &phys) == NULL && phys == 0x2000);
	CHECK(rsdt_entry(r, 2, &phys) != NULL);
	CHECK(sdt_check(r, sizeof r, "XSDT") != NULL);
	r[SDT_HDR_LEN] ^= 0x10;
	CHECK(sdt_check(r, sizeof r, "RSDT") != NULL);
}

int main(void)
{
	test_good_madt();
	test_overrides();
	test_many_cpus();
	test_damaged_madt();
	test_rsdp_rsdt();
	if (failures)
		printf("test_madt: %d failure(s)\n", failures);
	return failures != 0;
}
