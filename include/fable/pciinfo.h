/*
 * fable/pciinfo.h: what the devices call (vector 0x86, operation
 * DEVICES_PCI_LIST) reports about each PCI function (docs/abi/fable.md
 * §7). Shared by the kernel (dev/pci.c keeps its records in this form)
 * and user programs (through <fable.h>; lspci prints it).
 */
#ifndef FABLE_PCIINFO_H
#define FABLE_PCIINFO_H

#define PCI_BARS 6	/* base address registers of a type-0 header */

/* pci_bar_info_t.flags */
#define PCI_BAR_IO       0x1	/* I/O ports, not memory */
#define PCI_BAR_MEM64    0x2	/* a 64-bit memory BAR: the next slot is its high half */
#define PCI_BAR_PREFETCH 0x4	/* prefetchable memory */

typedef struct pci_bar_info {
	unsigned int base;	/* 0: port or address, the flag bits cleared */
	unsigned int size;	/* 4: bytes decoded; 0: no such BAR */
	unsigned int flags;	/* 8: PCI_BAR_* */
} pci_bar_info_t;		/* 12 bytes */

typedef struct pci_info {
	unsigned char bus, dev, fn;	/*  0: the function's address */
	unsigned char header;		/*  3: header type, the multi-function bit cleared */
	unsigned short vendor, device;	/*  4: identifiers */
	unsigned char class_code;	/*  8: base class (0x01 storage, 0x06 bridge, ...) */
	unsigned char subclass;		/*  9 */
	unsigned char prog_if;		/* 10: programming interface */
	unsigned char revision;		/* 11 */
	unsigned char irq_line;		/* 12: the PIC line the firmware routed, 0xFF none */
	unsigned char irq_pin;		/* 13: 0 none, 1-4 INTA#-INTD# */
	unsigned char pad[2];		/* 14: zero */
	pci_bar_info_t bar[PCI_BARS];	/* 16: bridges use the first two */
} pci_info_t;				/* 88 bytes */

/* Operations of the devices call, the first word of its packet. */
#define DEVICES_PCI_LIST 0	/* {op, buf, max}: the PCI functions found at boot */

#endif
