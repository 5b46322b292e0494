/* pci_list.c: the devices call's PCI list (fable.h, docs/abi/fable.md
 * §7) on QEMU's PC: max 0 only counts, whatever the buffer; a short
 * buffer gets the full count and no more than max entries; refused
 * buffers and max < 0 are negative and write nothing; the functions come
 * in address order, and the ones every QEMU PC has are there with the
 * right classes and BARs (the IDE controller's bus-master ports: 16 I/O
 * ports; the VGA's frame buffer: 16 MiB of prefetchable memory). */
#include <stddef.h>
#include <string.h>
#include <fable.h>
#include "testlib.h"

#define MAXDEVS 32

static pci_info_t devs[MAXDEVS + 1];

static const pci_info_t *find(unsigned vendor, unsigned device)
{
	for (int i = 0; i < MAXDEVS; i++)
		if (devs[i].vendor == vendor && devs[i].device == device)
			return &devs[i];
	return NULL;
}

static unsigned address(const pci_info_t *p)
{
	return p->bus << 16 | p->dev << 8 | p->fn;
}

int main(void)
{
	int n = pci_list(devs, MAXDEVS);
	tprintf("pci_list: %d functions\n", n);
	CHECK(sizeof(pci_info_t) == 88);
	CHECK(n >= 4 && n <= MAXDEVS);
	CHECK(pci_list(NULL, 0) == n);
	CHECK(pci_list((pci_info_t *)0xDEAD0000, 0) == n);
	memset(&devs[MAXDEVS], 0x77, sizeof devs[MAXDEVS]);
	CHECK(pci_list(&devs[MAXDEVS], 1) == n);	/* one entry, the first again */
	CHECK(memcmp(&devs[MAXDEVS], &devs[0], sizeof devs[0]) == 0);
	CHECK(pci_list(NULL, 1) < 0);
	CHECK(pci_list((pci_info_t *)0x500000, 1) < 0);
	CHECK(pci_list(devs, -1) < 0);
	for (int i = 1; i < n && i < MAXDEVS; i++)
		CHECK(address(&devs[i - 1]) < address(&devs[i]));
	const pci_info_t *host = find(0x8086, 0x1237), *ide = find(0x8086, 0x7010);
	const pci_info_t *vga = find(0x1234, 0x1111);
	CHECK(host && address(host) == 0 && host->class_code == 0x06 && host->subclass == 0x00);
	CHECK(ide && ide->class_code == 0x01 && ide->subclass == 0x01 && (ide->prog_if & 0x80));
	CHECK(ide && ide->bar[4].flags == PCI_BAR_IO && ide->bar[4].size == 16 &&
	      ide->bar[4].base != 0 && ide->pad[0] == 0 && ide->pad[1] == 0);
	CHECK(vga && vga->class_code == 0x03 && vga->bar[0].size == 16 << 20 &&
	      vga->bar[0].flags == PCI_BAR_PREFETCH && (vga->bar[0].base & 0xFFFFF) == 0);
	test_done();
}
