/*
 * elf.h: validate an ELF32 executable and plan its address space.
 *
 * Pure code (no vm, no hardware): it reads the image in memory and says
 * which page ranges to map with which permissions and which bytes to copy
 * where - or why the image is invalid. Loading is section-driven
 * (docs/abi/image.md §3.2): every SHF_ALLOC section except notes is placed at
 * its sh_addr, writable iff SHF_WRITE, SHT_NOBITS zero-filled; a page
 * shared by a read-only and a writable section is writable.
 */
#ifndef PROC_ELF_H
#define PROC_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SECTIONS 32	/* allocated sections we accept */
#define ELF_MAX_REGIONS  (2 * ELF_MAX_SECTIONS)

enum elf_kind { EK_TEXT, EK_RODATA, EK_DATA, EK_BSS };

struct elf_region {		/* page-aligned [start, end) */
	uint32_t start, end;
	int writable;
	enum elf_kind kind;
};

struct elf_copy {		/* bytes of the file to place at va */
	uint32_t va, off, len;
};

struct elf_plan {
	uint32_t entry;
	struct elf_region reg[ELF_MAX_REGIONS];
	int nreg;
	struct elf_copy copy[ELF_MAX_SECTIONS];
	int ncopy;
};

/* Check img and fill plan. Sections must lie in [lo, hi). Returns 0 or a
 * negative errno (-ENOEXEC for anything malformed). Only the first nreg
 * regions and ncopy copies of the plan are set. */
int elf_plan(const uint8_t *img, size_t len, uint32_t lo, uint32_t hi, struct elf_plan *plan);

/* The same for an image that is not in kernel memory (the RAM disk's are
 * not): the caller reads the first ELF_EHDR_SIZE bytes into ehdr, asks
 * elf_shdrs where the section header table is (offset, size in bytes;
 * -ENOEXEC if the header is bad) and passes that table as shdrs. */
#define ELF_EHDR_SIZE 52
int elf_shdrs(const uint8_t *ehdr, size_t len, uint32_t *off, uint32_t *size);
int elf_plan_parts(const uint8_t *ehdr, const uint8_t *shdrs, size_t len, uint32_t lo,
		   uint32_t hi, struct elf_plan *plan);

#endif
