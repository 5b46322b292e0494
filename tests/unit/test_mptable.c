/*
 * test_mptable.c: the MP table parser (kernel/arch/x86/mptable.c) on
 * hand-built tables: a floating pointer and a configuration table like
 * SeaBIOS's (four processors, one disabled; an ISA and a PCI bus; an
 * I/O APIC; IRQ 0 at input 2), then damaged ones (checksums, lengths,
 * entry counts, unknown entry types), each refused with a reason.
 */
#include <stdio.h>
#include <string.h>
#include "kernel/arch/x86/madt.c"
#include "kernel/arch/x86/mptable.c"

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

static void wr16(uint8_t *p, uint32_t v)
{
	p[0] = v; p[1] = v >> 8;
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

static void fix_sum(uint8_t *p, size_t len, size_t sum_at)
{
	uint8_t s = 0;

	p[sum_at] = 0;
	for (size_t i = 0; i < len; i++)
		s += p[i];
	p[sum_at] = (uint8_t)-s;
}

static uint8_t t[1024];
static size_t tlen;
static unsigned count;

static void begin(uint32_t lapic)
{
	memset(t, 0, sizeof t);
	memcpy(t, "PCMP", 4);
	t[6] = 4;		/* revision 1.4 */
	wr32(t + 36, lapic);
	tlen = MP_HDR_LEN;
	count = 0;
}

static void add(const uint8_t *e, size_t n)
{
	memcpy(t + tlen, e, n);
	tlen += n;
	count++;
}

static void cpu(uint8_t id, uint8_t flags)
{
	uint8_t e[20] = { MP_CPU, id, 0x14, flags };
	add(e, sizeof e);
}

static void bus(uint8_t id, const char *type)
{
	uint8_t e[8] = { MP_BUS, id };
	memcpy(e + 2, type, 6);
	add(e, sizeof e);
}

static void ioapic_entry(uint8_t id, uint8_t flags, uint32_t addr)
{
	uint8_t e[8] = { MP_IOAPIC, id, 0x11, flags };
	wr32(e + 4, addr);
	add(e, sizeof e);
}

static void ioint(uint8_t kind, uint16_t flags, uint8_t bus_id, uint8_t irq, uint8_t apic, uint8_t pin)
{
	uint8_t e[8] = { MP_IOINT, kind, 0, 0, bus_id, irq, apic, pin };
	wr16(e + 2, flags);
	add(e, sizeof e);
}

static void end(void)
{
	wr16(t + 4, (uint32_t)tlen);
	wr16(t + 34, count);
	fix_sum(t, tlen, 7);
}

static struct madt_info mi;

/* What SeaBIOS builds for -smp 4, give or take. */
static void good(void)
{
	begin(0xFEE00000);
	cpu(0, 3);		/* enabled, the boot processor */
	cpu(1, 1);
	cpu(2, 0);		/* disabled: not counted */
	cpu(3, 1);
	bus(0, "PCI   ");
	bus(1, "ISA   ");
	ioapic_entry(4, 1, 0xFEC00000);
	ioint(0, 0, 1, 0, 4, 2);	/* ISA IRQ 0 -> input 2 */
	ioint(0, 0, 1, 1, 4, 1);
	ioint(0, 0x0F, 1, 9, 0xFF, 9);	/* level, active low, to all I/O APICs */
	ioint(0, 0x0F, 0, 3, 4, 16);	/* a PCI device's: not ISA, ignored */
	ioint(3, 0, 1, 7, 4, 0);	/* ExtINT: not a plain interrupt */
	ioint(0, 0, 1, 20, 4, 20);	/* no such ISA IRQ */
	uint8_t local[8] = { MP_LOCALINT, 3, 0, 0, 1, 0, 0xFF, 0 };
	add(local, sizeof local);
	end();
}

static void test_good(void)
{
	good();
	CHECK(mp_config_parse(t, tlen, &mi) == NULL);
	CHECK(mi.lapic_phys == 0xFEE00000 && mi.ncpus == 3 && mi.extra == 0);
	CHECK(mi.apic_id[0] == 0 && mi.apic_id[1] == 1 && mi.apic_id[2] == 3);
	CHECK(mi.have_ioapic && mi.ioapic_id == 4 && mi.ioapic_phys == 0xFEC00000 && mi.ioapic_gsi_base == 0);
	CHECK(mi.isa[0].gsi == 2 && mi.isa[0].flags == 0);
	CHECK(mi.isa[1].gsi == 1 && mi.isa[3].gsi == 3 && mi.isa[7].gsi == 7);
	CHECK(mi.isa[9].gsi == 9 && inti_level(mi.isa[9].flags) && inti_active_low(mi.isa[9].flags));
	CHECK(mp_config_len(t) == tlen);
	/* More bytes available than the table: only its length counts. */
	CHECK(mp_config_parse(t, sizeof t, &mi) == NULL && mi.ncpus == 3);
}

static void test_many_cpus(void)
{
	begin(0xFEE00000);
	for (int i = 0; i < MADT_MAX_CPUS + 2; i++)
		cpu((uint8_t)i, 1);
	end();
	CHECK(mp_config_parse(t, tlen, &mi) == NULL);
	CHECK(mi.ncpus == MADT_MAX_CPUS && mi.extra == 2 && !mi.have_ioapic);
}

static void test_damaged(void)
{
	good();
	t[60] ^= 1;		/* a flipped bit */
	CHECK(mp_config_parse(t, tlen, &mi) != NULL && mi.ncpus == 0 && mi.isa[0].gsi == 0);
	t[60] ^= 1;
	CHECK(mp_config_parse(t, tlen - 1, &mi) != NULL);	/* length past the buffer */
	CHECK(mp_config_parse(t, 30, &mi) != NULL);		/* not even a header */

	wr16(t + 4, 40);	/* length inside the header */
	fix_sum(t, 40, 7);
	CHECK(mp_config_parse(t, tlen, &mi) != NULL);
	end();

	memcpy(t, "PCMQ", 4);	/* another signature */
	end();
	CHECK(mp_config_parse(t, tlen, &mi) != NULL);
	memcpy(t, "PCMP", 4);

	wr16(t + 34, count + 1);	/* one entry more than the table holds */
	fix_sum(t, tlen, 7);
	CHECK(mp_config_parse(t, tlen, &mi) != NULL);
	wr16(t + 34, 2);		/* fewer: the rest is not read */
	fix_sum(t, tlen, 7);
	CHECK(mp_config_parse(t, tlen, &mi) == NULL && mi.ncpus == 2 && !mi.have_ioapic);
	end();

	wr16(t + 4, (uint32_t)tlen - 4);	/* the last entry runs past the end */
	fix_sum(t, tlen - 4, 7);
	CHECK(mp_config_parse(t, tlen, &mi) != NULL);
	end();

	t[MP_HDR_LEN + 20] = 9;	/* an entry type of unknown length */
	end();
	CHECK(mp_config_parse(t, tlen, &mi) != NULL && mi.ncpus == 0);
	t[MP_HDR_LEN + 20] = MP_CPU;
	end();
	CHECK(mp_config_parse(t, tlen, &mi) == NULL);

	begin(0xFEE00000);
	cpu(0, 0);		/* no enabled processor */
	end();
	CHECK(mp_config_parse(t, tlen, &mi) != NULL);
	begin(0xFEE00010);	/* a local APIC address off a page */
	cpu(0, 1);
	end();
	CHECK(mp_config_parse(t, tlen, &mi) != NULL);
	begin(0xFEE00000);	/* an empty table */
	end();
	CHECK(mp_config_parse(t, tlen, &mi) != NULL);
}

static void test_float(void)
{
	uint8_t area[256] = { 0 };
	uint32_t phys = 0;

	memcpy(area + 40, "_MP_", 4);	/* not on a 16-byte boundary */
	memcpy(area + 64, "_MP_", 4);	/* no good checksum */
	area[64 + 8] = 1;
	CHECK(mp_float_find(area, sizeof area) == -1);
	memcpy(area + 128, "_MP_", 4);
	wr32(area + 128 + 4, 0x000F1000);
	area[128 + 8] = 1;
	area[128 + 9] = 4;
	fix_sum(area + 128, MP_FLOAT_LEN, 10);
	CHECK(mp_float_find(area, sizeof area) == 128);
	CHECK(mp_float_find(area, 140) == -1);	/* cut short */
	CHECK(mp_float_parse(area + 128, MP_FLOAT_LEN, &phys) == NULL && phys == 0x000F1000);
	CHECK(mp_float_parse(area + 128, MP_FLOAT_LEN - 1, &phys) != NULL);
	CHECK(mp_float_parse(area + 64, MP_FLOAT_LEN, &phys) != NULL);

	area[128 + 11] = 5;	/* a default configuration: no table */
	fix_sum(area + 128, MP_FLOAT_LEN, 10);
	CHECK(mp_float_parse(area + 128, MP_FLOAT_LEN, &phys) != NULL);
	area[128 + 11] = 0;
	area[128 + 8] = 2;	/* a length the specification does not define */
	fix_sum(area + 128, MP_FLOAT_LEN, 10);
	CHECK(mp_float_parse(area + 128, MP_FLOAT_LEN, &phys) != NULL);
	area[128 + 8] = 1;
	wr32(area + 128 + 4, 0);	/* no table */
	fix_sum(area + 128, MP_FLOAT_LEN, 10);
	CHECK(mp_float_parse(area + 128, MP_FLOAT_LEN, &phys) != NULL);
}

int main(void)
{
	test_good();
	test_many_cpus();
	test_damaged();
	test_float();
	if (failures)
		printf("test_mptable: %d failure(s)\n", failures);
	return failures != 0;
}
