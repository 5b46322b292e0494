/*
 * sys_mem.c: new_pages and remove_pages (docs/abi/memory.md §2, §3).
 * The checks (alignment, length, overlap, user range, memory) live in
 * vm_map and vm_unmap, which the loader shares.
 */
#include "syscall/syscall.h"
#include "proc/thread.h"
#include "lib/errno.h"
#include "mm/vm.h"

int sys_new_pages(struct trapframe *tf)
{
	uint32_t a[2];
	if (syscall_args(tf, a, 2) < 0)
		return -EFAULT;
	if ((int)a[1] <= 0)
		return -EINVAL;
	return vm_map(curtask()->vm, a[0], a[1], VM_READ | VM_WRITE, VM_NEW_PAGES);
}

int sys_remove_pages(struct trapframe *tf)
{
	return vm_unmap(curtask()->vm, tf->esi, VM_NEW_PAGES);
}
