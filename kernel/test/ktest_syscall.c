/*
 * ktest_syscall.c: in-kernel tests of system-call paths that user tests
 * cannot drive into the state they need.
 */
#include "debug/ktest.h"
#include "arch/x86/trap.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"
#include "mm/vm.h"
#include "syscall/syscall.h"

#define BASE 0x40000000u

/* Take every kernel page and slab object kmalloc can give; the list of
 * them, linked through their first words. */
static void **heap_exhaust(void)
{
	void **list = NULL;
	for (unsigned size = 16384; size >= 16; size /= 2)
		for (void **p; (p = kmalloc(size)); list = p)
			*p = list;
	return list;
}

static void heap_release(void **list)
{
	while (list) {
		void **next = *list;
		kfree(list);
		list = next;
	}
}

/* print and debug_print copy the caller's bytes through a static buffer:
 * with kernel memory exhausted they still work (a kmalloc'd copy once
 * made them fail with ENOMEM), up to the largest size. */
KTEST(print_no_memory)
{
	static const char msg[] = "print_no_memory: printed with no kernel memory left\n";
	static char lines[SYSCALL_IO_CAP];	/* 64 lines of 64 bytes */
	uint32_t packet[2] = { sizeof msg - 1, BASE + PAGE_SIZE + 64 };
	uint32_t big[2] = { SYSCALL_IO_CAP, BASE };
	for (unsigned i = 0; i < sizeof lines; i++)
		lines[i] = i % 64 == 63 ? '\n' : '.';
	struct vm *vm = vm_create();
	KCHECK(vm && vm_map(vm, BASE, 2 * PAGE_SIZE, VM_READ | VM_WRITE, VM_DATA) == 0);
	KCHECK(vm_write(vm, BASE, lines, sizeof lines) == 0);
	KCHECK(vm_write(vm, BASE + PAGE_SIZE + 64, msg, sizeof msg - 1) == 0);
	KCHECK(vm_write(vm, BASE + PAGE_SIZE, packet, sizeof packet) == 0);
	KCHECK(vm_write(vm, BASE + PAGE_SIZE + 8, big, sizeof big) == 0);
	vm_activate(vm);
	void **list = heap_exhaust();
	KCHECK(kmalloc(16) == NULL);
	struct trapframe tf = { .esi = BASE + PAGE_SIZE };
	KCHECK(sys_print(&tf) == 0 && sys_debug_print(&tf) == 0);
	tf.esi = BASE + PAGE_SIZE + 8;
	KCHECK(sys_debug_print(&tf) == 0);	/* the largest: 4096 bytes */
	heap_release(list);
	vm_activate(NULL);
	vm_destroy(vm);
	KCHECK(mm_check());
}
