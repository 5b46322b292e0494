/*
 * ata.h: the ATA disk driver (dev/ata.c, docs/storage.md). It registers
 * every disk it finds as a block device, "hda" to "hdd".
 */
#ifndef DEV_ATA_H
#define DEV_ATA_H

#include <stdbool.h>

/* Find and register the disks; dma false forces PIO transfers (the
 * command line's ata=pio). Boot, after pci_init, with interrupts on. */
void ata_init(bool dma);

#endif
