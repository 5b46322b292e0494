/*
 * atalib.c: IDENTIFY decoding and PRD tables (see atalib.h).
 */
#include "dev/atalib.h"

/* IDENTIFY DEVICE words (ATA/ATAPI-8, 7.16). */
#define ID_MODEL     27	/* 20 words, two characters each, the first in the high byte */
#define ID_CAPS      49	/* bit 8 DMA, bit 9 LBA */
#define ID_LBA28     60	/* two words: sectors reachable by 28-bit commands */
#define ID_FEATURES  83	/* bit 10: the 48-bit address feature set */
#define ID_LBA48    100	/* four words: sectors reachable by 48-bit commands */

#define CAP_DMA   (1u << 8)
#define CAP_LBA   (1u << 9)
#define FEAT_LBA48 (1u << 10)

static void model(const uint16_t *w, char *out)
{
	int n = 0;
	for (int i = 0; i < (ATA_MODEL - 1) / 2; i++) {
		out[n++] = w[i] >> 8;
		out[n++] = w[i] & 0xFF;
	}
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
		n--;
	out[n] = '\0';
}

void ata_identify_parse(const uint16_t id[256], struct ata_ident *out)
{
	model(&id[ID_MODEL], out->model);
	out->lba = id[ID_CAPS] & CAP_LBA;
	out->dma = id[ID_CAPS] & CAP_DMA;
	/* Word 83 is valid only when bits 15:14 read 01. */
	out->lba48 = (id[ID_FEATURES] & 0xC000) == 0x4000 && (id[ID_FEATURES] & FEAT_LBA48);
	out->sectors = id[ID_LBA28] | (uint32_t)id[ID_LBA28 + 1] << 16;
	if (out->lba48)
		out->sectors = id[ID_LBA48] | (uint64_t)id[ID_LBA48 + 1] << 16 |
			       (uint64_t)id[ID_LBA48 + 2] << 32 | (uint64_t)id[ID_LBA48 + 3] << 48;
	if (!out->lba)
		out->sectors = 0;
}

int ata_prd_build(struct prd *t, int max, uint32_t addr, uint32_t len)
{
	int n = 0;
	while (len) {
		if (n == max)
			return -1;
		/* Up to the next 64 KiB boundary, or the end. */
		uint32_t room = 0x10000 - (addr & 0xFFFF);
		uint32_t chunk = len < room ? len : room;
		t[n++] = (struct prd){ addr, (uint16_t)chunk, 0 };
		addr += chunk;
		len -= chunk;
	}
	if (n)
		t[n - 1].flags = PRD_EOT;
	return n;
}
