/*
 * lspci.c: the PCI functions the kernel found at boot (fable.h's
 * pci_list), one a line: address, class, identifiers, interrupt line,
 * and what the class means when it is a common one.
 */
#include <fable.h>
#include <malloc.h>
#include <stdio.h>

struct kind {
	unsigned char class_code, subclass;
	const char *name;
};

static const struct kind kinds[] = {
	{ 0x01, 0x01, "IDE controller" },
	{ 0x01, 0x06, "SATA controller" },
	{ 0x02, 0x00, "Ethernet controller" },
	{ 0x03, 0x00, "VGA controller" },
	{ 0x06, 0x00, "host bridge" },
	{ 0x06, 0x01, "ISA bridge" },
	{ 0x06, 0x04, "PCI bridge" },
	{ 0x06, 0x80, "bridge" },
	{ 0x0C, 0x03, "USB controller" },
};

static const char *kind_of(const pci_info_t *p)
{
	for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].class_code == p->class_code && kinds[i].subclass == p->subclass)
			return kinds[i].name;
	return "";
}

static void show(const pci_info_t *p)
{
	char irq[8] = "-";
	if (p->irq_line != 0xFF)
		snprintf(irq, sizeof irq, "%d", p->irq_line);
	printf("%02x:%02x.%x  %02x.%02x.%02x  %04x:%04x  %-3s  %s\n", p->bus, p->dev, p->fn,
	       p->class_code, p->subclass, p->prog_if, p->vendor, p->device, irq, kind_of(p));
}

int main(void)
{
	int n = pci_list(NULL, 0);
	if (n < 0) {
		printf("lspci: no device list (the kernel has no devices call)\n");
		return 1;
	}
	pci_info_t *devs = n ? malloc(n * sizeof *devs) : NULL;
	if (n && !devs) {
		printf("lspci: out of memory\n");
		return 1;
	}
	int got = n ? pci_list(devs, n) : 0;
	if (got < 0 || got > n) {
		printf("lspci: the device list changed or cannot be read\n");
		free(devs);
		return 1;
	}
	printf("ADDRESS  CLASS     ID         IRQ  KIND\n");
	for (int i = 0; i < got; i++)
		show(&devs[i]);
	free(devs);
	return 0;
}
