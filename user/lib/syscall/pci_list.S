/* pci_list: the DEVICES_PCI_LIST operation of the devices call, vector
 * DEVICES_INT (SYSCALL_RESERVED_6), whose packet starts with the
 * operation word: {op, buf, max} (docs/abi/fable.md §8). */
#include "stub.h"

	STUB_BEGIN pci_list
	pushl %esi
	pushl 12(%esp)		/* max, above %esi, the return address and buf */
	pushl 12(%esp)		/* buf: the same slot, one word further up now */
	pushl $0		/* DEVICES_PCI_LIST (fable/pciinfo.h, a C header) */
	movl %esp, %esi
	int $SYSCALL_RESERVED_6
	addl $12, %esp
	popl %esi
	ret
	STUB_END pci_list
