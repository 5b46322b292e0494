/*
 * atalib.h: the decisions of the ATA driver that need no hardware - what
 * an IDENTIFY block says, and how a buffer becomes a bus-master PRD table
 * (docs/storage.md). Pure code: also built natively for unit tests
 * (tests/unit/test_ata.c).
 */
#ifndef DEV_ATALIB_H
#define DEV_ATALIB_H

#include <stdbool.h>
#include <stdint.h>

#define ATA_MODEL 41	/* model string bytes, with the NUL */

/* What IDENTIFY DEVICE tells the driver. */
struct ata_ident {
	char model[ATA_MODEL];	/* trailing blanks removed */
	bool lba;		/* LBA addressing (else only CHS: unusable) */
	bool lba48;		/* the 48-bit commands */
	bool dma;		/* DMA transfers */
	uint64_t sectors;	/* addressable 512-byte sectors */
};

/* Decode the 256 words of an IDENTIFY DEVICE answer. */
void ata_identify_parse(const uint16_t id[256], struct ata_ident *out);

/*
 * One entry of a bus-master IDE controller's Physical Region Descriptor
 * table: a region of physical memory the controller moves bytes to or
 * from. A region may not cross a 64 KiB boundary; bytes 0 means 64 KiB;
 * the last entry has PRD_EOT.
 */
struct prd {
	uint32_t addr;		/* physical, even */
	uint16_t bytes;		/* 0: 65536 */
	uint16_t flags;		/* PRD_EOT in the last entry */
};
#define PRD_EOT 0x8000

/* Describe the len bytes at physical address addr (even, len > 0 and
 * even) in t[0..max-1]; returns the number of entries, or -1 if more
 * than max are needed. */
int ata_prd_build(struct prd *t, int max, uint32_t addr, uint32_t len);

#endif
