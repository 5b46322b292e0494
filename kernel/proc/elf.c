/*
 * elf.c: ELF32 validation and address-space planning (see elf.h).
 * Reference: the System V ABI's ELF chapter and its i386 supplement.
 */
#include <stdbool.h>
#include "proc/elf.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/layout.h"

#define EI_NIDENT 16
#define ET_EXEC 2
#define EM_386 3
#define EV_CURRENT 1
#define SHT_NOBITS 8
#define SHT_NOTE 7
#define SHF_WRITE 0x1
#define SHF_ALLOC 0x2
#define SHF_EXECINSTR 0x4

struct ehdr {
	uint8_t ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

_Static_assert(sizeof(struct ehdr) == ELF_EHDR_SIZE, "ELF32 header size");

struct shdr {
	uint32_t name, type, flags, addr, offset, size, link, info, addralign, entsize;
};

struct sec {			/* an allocated section, byte-exact */
	uint32_t start, end;	/* [start, end) */
	uint32_t flags, type, offset;
};

static bool header_ok(const struct ehdr *h, size_t len)
{
	static const uint8_t magic[] = { 0x7F, 'E', 'L', 'F', 1 /* 32-bit */,
					 1 /* little-endian */, EV_CURRENT };
	if (memcmp(h->ident, magic, sizeof magic) != 0)
		return false;
	if (h->type != ET_EXEC || h->machine != EM_386 || h->version != EV_CURRENT)
		return false;
	if (h->shentsize != sizeof(struct shdr) || h->shnum == 0)
		return false;
	uint64_t end = (uint64_t)h->shoff + (uint64_t)h->shnum * sizeof(struct shdr);
	return h->shoff != 0 && end <= len;
}

/* Read the allocated sections (headers shdrs) into secs (sorted by address);
 * returns their count or -ENOEXEC. */
static int collect(const struct ehdr *h, const uint8_t *shdrs, size_t len, uint32_t lo,
		   uint32_t hi, struct sec *secs)
{
	int n = 0;
	for (int i = 0; i < h->shnum; i++) {
		struct shdr s;
		memcpy(&s, shdrs + i * sizeof s, sizeof s);	/* may be unaligned */
		if (!(s.flags & SHF_ALLOC) || s.type == SHT_NOTE || s.size == 0)
			continue;
		uint64_t end = (uint64_t)s.addr + s.size;
		if (n == ELF_MAX_SECTIONS || s.addr < lo || end > hi)
			return -ENOEXEC;
		if (s.type != SHT_NOBITS && (uint64_t)s.offset + s.size > len)
			return -ENOEXEC;
		int j = n++;	/* insertion sort by address */
		for (; j > 0 && secs[j - 1].start > s.addr; j--)
			secs[j] = secs[j - 1];
		secs[j] = (struct sec){ s.addr, (uint32_t)end, s.flags, s.type, s.offset };
	}
	for (int i = 1; i < n; i++)
		if (secs[i].start < secs[i - 1].end)
			return -ENOEXEC;	/* sections overlap */
	return n;
}

static enum elf_kind kind_of(const struct sec *s)
{
	if (s->type == SHT_NOBITS)
		return EK_BSS;
	if (s->flags & SHF_WRITE)
		return EK_DATA;
	return (s->flags & SHF_EXECINSTR) ? EK_TEXT : EK_RODATA;
}

/* Append page range [a, b) with the union of the permissions of the
 * sections touching it; merges with the previous region when alike. */
static void add_range(struct elf_plan *p, const struct sec *secs, int n, uint32_t a, uint32_t b)
{
	int w = -1;
	enum elf_kind kind = EK_TEXT;
	for (int i = 0; i < n; i++) {
		uint32_t ps = secs[i].start & ~PAGE_MASK;
		uint64_t pe = ((uint64_t)secs[i].end + PAGE_MASK) & ~(uint64_t)PAGE_MASK;
		if (ps >= b || pe <= a)
			continue;
		bool sw = secs[i].flags & SHF_WRITE;
		if (w < 0 || (sw && !w))	/* a shared page is named by its writer */
			kind = kind_of(&secs[i]);
		w = (w > 0) | sw;
	}
	if (w < 0)
		return;		/* a gap between sections */
	struct elf_region *last = p->nreg ? &p->reg[p->nreg - 1] : NULL;
	if (last && last->end == a && last->writable == w && last->kind == kind)
		last->end = b;
	else
		p->reg[p->nreg++] = (struct elf_region){ a, b, w, kind };
}

/* Cut the image's pages at every section's page boundaries and give each
 * piece the permissions of the sections on it. */
static void plan_regions(struct elf_plan *p, const struct sec *secs, int n)
{
	uint32_t cut[2 * ELF_MAX_SECTIONS];
	int nc = 0;
	for (int i = 0; i < n; i++) {
		cut[nc++] = secs[i].start & ~PAGE_MASK;
		cut[nc++] = (secs[i].end + PAGE_MASK) & ~PAGE_MASK;	/* < hi: no wrap */
	}
	for (int i = 1; i < nc; i++)	/* insertion sort */
		for (int j = i; j > 0 && cut[j - 1] > cut[j]; j--) {
			uint32_t t = cut[j];
			cut[j] = cut[j - 1];
			cut[j - 1] = t;
		}
	for (int i = 0; i + 1 < nc; i++)
		if (cut[i] != cut[i + 1])
			add_range(p, secs, n, cut[i], cut[i + 1]);
}

/* A plan of nothing. Only the counts need clearing, not the arrays
 * (1,420 bytes, a cost every exec would pay): nothing reads past them. */
static void plan_empty(struct elf_plan *p)
{
	p->entry = 0;
	p->nreg = p->ncopy = 0;
}

int elf_shdrs(const uint8_t *ehdr, size_t len, uint32_t *off, uint32_t *size)
{
	const struct ehdr *h = (const struct ehdr *)ehdr;
	if (len < sizeof *h || !header_ok(h, len))
		return -ENOEXEC;
	*off = h->shoff;
	*size = h->shnum * sizeof(struct shdr);
	return 0;
}

int elf_plan_parts(const uint8_t *ehdr, const uint8_t *shdrs, size_t len, uint32_t lo,
		   uint32_t hi, struct elf_plan *p)
{
	const struct ehdr *h = (const struct ehdr *)ehdr;
	struct sec secs[ELF_MAX_SECTIONS];
	plan_empty(p);
	if (len < sizeof *h || !header_ok(h, len))
		return -ENOEXEC;
	hi &= ~PAGE_MASK;	/* sections end where whole pages can be mapped */
	int n = collect(h, shdrs, len, lo, hi, secs);
	if (n <= 0)
		return -ENOEXEC;
	plan_regions(p, secs, n);
	for (int i = 0; i < n; i++)
		if (secs[i].type != SHT_NOBITS)
			p->copy[p->ncopy++] = (struct elf_copy){ secs[i].start, secs[i].offset,
								 secs[i].end - secs[i].start };
	p->entry = h->entry;
	for (int i = 0; i < p->nreg; i++)
		if (p->entry >= p->reg[i].start && p->entry < p->reg[i].end)
			return 0;
	return -ENOEXEC;	/* the entry point is not in the image */
}

int elf_plan(const uint8_t *img, size_t len, uint32_t lo, uint32_t hi, struct elf_plan *p)
{
	uint32_t off, size;
	if (elf_shdrs(img, len, &off, &size) < 0) {
		plan_empty(p);
		return -ENOEXEC;
	}
	return elf_plan_parts(img, img + off, len, lo, hi, p);
}
