/*
 * test_ata.c: the ATA driver's pure part (kernel/dev/atalib.c): IDENTIFY
 * blocks as QEMU and a CHS-only disk answer them, and PRD tables for
 * buffers at every offset around 64 KiB boundaries, checked entry by
 * entry (contiguous, none crossing a boundary, EOT on the last only).
 */
#include <stdio.h>
#include <string.h>
#include "kernel/dev/atalib.c"

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

/* Store s in IDENTIFY's byte order: the first character in the high byte. */
static void put_model(uint16_t *id, const char *s)
{
	char buf[40];
	memset(buf, ' ', sizeof buf);
	memcpy(buf, s, strlen(s));
	for (int i = 0; i < 20; i++)
		id[27 + i] = (uint16_t)((uint8_t)buf[2 * i] << 8 | (uint8_t)buf[2 * i + 1]);
}

static void identify_lba48(void)
{
	uint16_t id[256] = { 0 };
	struct ata_ident a;
	put_model(id, "QEMU HARDDISK");
	id[49] = 0x0300;		/* DMA, LBA */
	id[60] = 0xFFFF;		/* 28-bit: 0x0FFFFFFF, the most it can say */
	id[61] = 0x0FFF;
	id[83] = 0x4400;		/* valid, 48-bit */
	id[100] = 0x0000;		/* 0x19000000 sectors: 200 GiB */
	id[101] = 0x1900;
	ata_identify_parse(id, &a);
	CHECK(strcmp(a.model, "QEMU HARDDISK") == 0);
	CHECK(a.lba && a.lba48 && a.dma);
	CHECK(a.sectors == 0x19000000u);
	id[103] = 1;			/* beyond 32 bits */
	ata_identify_parse(id, &a);
	CHECK(a.sectors == 0x0001000019000000ull);
}

static void identify_lba28(void)
{
	uint16_t id[256] = { 0 };
	struct ata_ident a;
	put_model(id, "A 40 CHARACTER MODEL NAME, FILLING IT UP");
	id[49] = 0x0200;		/* LBA, no DMA */
	id[60] = 0x0000;
	id[61] = 0x0002;		/* 131072 sectors */
	id[83] = 0x0400;		/* bit 10, but the word is not valid */
	id[100] = 0x1234;
	ata_identify_parse(id, &a);
	CHECK(strlen(a.model) == 40 && a.model[39] == 'P');
	CHECK(a.lba && !a.lba48 && !a.dma);
	CHECK(a.sectors == 131072);
	id[49] = 0;			/* CHS only */
	ata_identify_parse(id, &a);
	CHECK(!a.lba && a.sectors == 0);
}

/* t[0..n-1] describes exactly [addr, addr + len). */
static void check_table(const struct prd *t, int n, uint32_t addr, uint32_t len)
{
	uint32_t at = addr;
	for (int i = 0; i < n; i++) {
		uint32_t bytes = t[i].bytes ? t[i].bytes : 0x10000;
		CHECK(t[i].addr == at);
		CHECK((t[i].addr & 0xFFFF) + bytes <= 0x10000);	/* no boundary crossed */
		CHECK(t[i].flags == (i == n - 1 ? PRD_EOT : 0));
		at += bytes;
	}
	CHECK(at == addr + len);
}

static void prd_tables(void)
{
	static const uint32_t bases[] = { 0x100000, 0x10FE00, 0x10FFFE, 0x110000, 0x12345A };
	static const uint32_t lens[] = { 2, 512, 0x10000, 0x10002, 0x20000, 0x1FE00 };
	struct prd t[8];
	for (unsigned b = 0; b < sizeof bases / sizeof bases[0]; b++)
		for (unsigned l = 0; l < sizeof lens / sizeof lens[0]; l++) {
			int n = ata_prd_build(t, 8, bases[b], lens[l]);
			CHECK(n > 0 && n <= 3);
			if (n > 0)
				check_table(t, n, bases[b], lens[l]);
		}
	/* 128 KiB starting just below a boundary needs three entries. */
	CHECK(ata_prd_build(t, 8, 0x10FFFE, 0x20000) == 3);
	CHECK(ata_prd_build(t, 2, 0x10FFFE, 0x20000) == -1);
	/* A whole aligned 64 KiB is one entry whose count reads 0. */
	CHECK(ata_prd_build(t, 8, 0x200000, 0x10000) == 1 && t[0].bytes == 0);
}

int main(void)
{
	identify_lba48();
	identify_lba28();
	prd_tables();
	if (failures)
		printf("test_ata: %d checks failed\n", failures);
	return failures != 0;
}
