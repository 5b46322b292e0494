/*
 * test_elf.c: the ELF planner (kernel/proc/elf.c) on images built here:
 * valid layouts, shared pages, bad headers, sections out of range,
 * overlaps, and an entry point outside the image.
 */
#include <stdio.h>
#include <stdlib.h>
#include "kernel/proc/elf.c"

static int failures;
#define CHECK(e) ((e) ? (void)0 : (failures++, fprintf(stderr, "%s:%d: CHECK(%s)\n", __FILE__, __LINE__, #e)))

#define LO 0x01000000u
#define HI 0xFFFFC000u

struct img {
	uint8_t buf[8192];
	struct ehdr *h;
	int nsec;
};

static void img_init(struct img *m)
{
	memset(m, 0, sizeof *m);
	m->h = (struct ehdr *)m->buf;
	memcpy(m->h->ident, "\x7f" "ELF\x01\x01\x01", 7);
	m->h->type = ET_EXEC;
	m->h->machine = EM_386;
	m->h->version = EV_CURRENT;
	m->h->entry = LO;
	m->h->shoff = 4096;
	m->h->shentsize = sizeof(struct shdr);
}

static void sec(struct img *m, uint32_t type, uint32_t flags, uint32_t addr, uint32_t size, uint32_t off)
{
	struct shdr *s = (struct shdr *)(m->buf + 4096) + m->nsec++;
	*s = (struct shdr){ .type = type, .flags = flags, .addr = addr, .size = size, .offset = off };
	m->h->shnum = m->nsec;
}

#define PROGBITS 1
#define AX (SHF_ALLOC | SHF_EXECINSTR)
#define A SHF_ALLOC
#define WA (SHF_ALLOC | SHF_WRITE)

static void test_typical(void)
{
	struct img m;
	struct elf_plan p;
	img_init(&m);
	sec(&m, 0, 0, 0, 0, 0);				/* the null section */
	sec(&m, PROGBITS, AX, LO, 0x1800, 64);		/* .text: 2 pages */
	sec(&m, PROGBITS, A, LO + 0x2000, 0x100, 64);	/* .rodata on its own page */
	sec(&m, PROGBITS, WA, LO + 0x2100, 0x10, 64);	/* .data shares rodata's page */
	sec(&m, SHT_NOBITS, WA, LO + 0x2200, 0x5000, 0);	/* .bss */
	sec(&m, 3, 0, 0, 100, 64);			/* .shstrtab: not allocated */
	CHECK(elf_plan(m.buf, sizeof m.buf, LO, HI, &p) == 0);
	CHECK(p.nreg == 3);
	CHECK(p.reg[0].start == LO && p.reg[0].end == LO + 0x2000 && !p.reg[0].writable);
	CHECK(p.reg[0].kind == EK_TEXT);
	/* the page rodata shares with data and bss is writable data */
	CHECK(p.reg[1].start == LO + 0x2000 && p.reg[1].end == LO + 0x3000 && p.reg[1].writable);
	CHECK(p.reg[1].kind == EK_DATA);
	CHECK(p.reg[2].start == LO + 0x3000 && p.reg[2].end == LO + 0x8000 && p.reg[2].kind == EK_BSS);
	CHECK(p.ncopy == 3);
	CHECK(p.entry == LO);
}

static void test_rodata_own_page(void)
{
	struct img m;
	struct elf_plan p;
	img_init(&m);
	sec(&m, PROGBITS, AX, LO, 0x100, 64);
	sec(&m, PROGBITS, A, LO + 0x1000, 0x100, 64);
	sec(&m, PROGBITS, WA, LO + 0x2000, 0x100, 64);
	CHECK(elf_plan(m.buf, sizeof m.buf, LO, HI, &p) == 0);
	CHECK(p.nreg == 3);
	CHECK(p.reg[1].kind == EK_RODATA && !p.reg[1].writable);
	CHECK(p.reg[2].kind == EK_DATA && p.reg[2].writable);
}

static void test_bad(void)
{
	struct img m;
	struct elf_plan p;
	img_init(&m);
	sec(&m, PROGBITS, AX, LO, 0x100, 64);
	CHECK(elf_plan(m.buf, 10, LO, HI, &p) < 0);		/* truncated */
	m.h->machine = 62;
	CHECK(elf_plan(m.buf, sizeof m.buf, LO, HI, &p) < 0);	/* x86-64 */
	img_init(&m);
	sec(&m, PROGBITS, AX, LO - 0x1000, 0x100, 64);		/* below user space */
	CHECK(elf_plan(m.buf, sizeof m.buf, LO, HI, &p) < 0);
	img_init(&m);
	sec(&m, PROGBITS, AX, 0xFFFFF000, 0x2000, 64);		/* wraps */
	CHECK(elf_plan(m.buf, sizeof m.buf, LO, HI, &p) < 0);
	img_init(&m);
	sec(&m, PROGBITS, AX, LO, 0x100, 8000);			/* bytes past the file */
	CHECK(elf_plan(m.buf, sizeof m.buf, LO, HI, &p) < 0);
	img_init(&m);
	sec(&m, PROGBITS, AX, LO, 0x200, 64);
	sec(&m, PROGBITS, WA, LO + 0x100, 0x200, 64);		/* overlap */
	CHECK(elf_plan(m.buf, sizeof m.buf, LO, HI, &p) < 0);
	img_init(&m);
	sec(&m, PROGBITS, AX, LO + 0x1000, 0x100, 64);		/* entry not in image */
	CHECK(elf_plan(m.buf, sizeof m.buf, LO, HI, &p) < 0);
	img_init(&m);
	m.h->shoff = 0xFFFFFFF0;				/* table past the end */
	m.h->shnum = 2;
	CHECK(elf_plan(m.buf, sizeof m.buf, LO, HI, &p) < 0);
	img_init(&m);
	sec(&m, SHT_NOBITS, WA, LO, 0x10000000, 0);		/* huge bss into the stack */
	CHECK(elf_plan(m.buf, sizeof m.buf, LO, LO + 0x1000000, &p) < 0);
}

static void test_big_bss(void)
{
	struct img m;
	struct elf_plan p;
	img_init(&m);
	sec(&m, PROGBITS, AX, LO, 0x100, 64);
	sec(&m, SHT_NOBITS, WA, LO + 0x1000, 192u << 20, 0);	/* ~192 MB */
	CHECK(elf_plan(m.buf, sizeof m.buf, LO, HI, &p) == 0);
	CHECK(p.nreg == 2 && p.reg[1].end - p.reg[1].start == 192u << 20);
}

int main(void)
{
	test_typical();
	test_rodata_own_page();
	test_bad();
	test_big_bss();
	if (failures)
		fprintf(stderr, "test_elf: %d failures\n", failures);
	return failures != 0;
}
