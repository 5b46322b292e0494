/*
 * pci.h: the PCI bus (docs/storage.md, "PCI"). pci_init() walks
 * configuration space once at boot and keeps a record of every function
 * it finds; drivers look their device up in that list, which never
 * changes after boot.
 */
#ifndef DEV_PCI_H
#define DEV_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include <fable/pciinfo.h>

#define PCI_MAX 64	/* functions recorded; more are logged and ignored */

/* Classes the kernel looks for. */
#define PCI_CLASS_STORAGE 0x01
#define PCI_SUB_IDE       0x01
#define PCI_CLASS_BRIDGE  0x06
#define PCI_SUB_HOST      0x00

void pci_init(void);

/* The number of functions found, and the i-th of them (by bus, device,
 * function). */
int pci_count(void);
const struct pci_info *pci_get(int i);

/* The first function after `after` (NULL: from the start) of the given
 * class and subclass, or NULL. */
const struct pci_info *pci_find_class(uint8_t class_code, uint8_t subclass,
				      const struct pci_info *after);
/* The first function with these identifiers, or NULL. */
const struct pci_info *pci_find_id(uint16_t vendor, uint16_t device);

/* Let d decode its I/O ports and memory and master the bus (DMA). */
void pci_enable_bus_master(const struct pci_info *d);

#endif
