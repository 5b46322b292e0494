/*
 * sys_fable.c: Fable's extensions - debug_print, kstat, poweroff
 * (docs/abi/fable.md).
 */
#include "syscall/syscall.h"
#include "arch/x86/pit.h"
#include "dev/power.h"
#include "dev/serial.h"
#include "lib/errno.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include <fable/kstat.h>

int sys_debug_print(struct trapframe *tf)
{
	return syscall_output(tf, serial_write);
}

int sys_kstat(struct trapframe *tf)
{
	uint32_t size;
	if (copy_from_user(&size, tf->esi, 4) < 0)
		return -EFAULT;
	if (size < 4 || size % 4)
		return -EINVAL;
	if (!vm_range_ok(curtask()->vm, tf->esi, size, VM_WRITE))
		return -EFAULT;
	struct mm_stats m;
	struct kstat k;
	mm_stats(&m);
	proc_counts(&k.tasks, &k.threads);
	k.size = size < sizeof k ? size : sizeof k;
	k.total_frames = m.total_frames;
	k.free_frames = m.free_frames;
	k.kernel_heap_bytes_in_use = m.heap_bytes_in_use;
	k.ticks = pit_ticks();
	k.context_switches = sched_nr_switches();
	k.page_faults = m.page_faults;
	k.syscalls = syscall_count();
	k.page_table_frames = m.page_tables;
	unsigned tlb_ipis;
	vm_tlb_counts(&tlb_ipis, &k.tlb_shootdowns);
	k.ipis = sched_nr_ipis() + tlb_ipis;
	return copy_to_user(tf->esi, &k, k.size);
}

int sys_poweroff(struct trapframe *tf)
{
	machine_poweroff((int)tf->esi);
}

/* tasklist(buf, max): a snapshot of every task, for ps (fable/taskinfo.h). */
int sys_tasklist(struct trapframe *tf)
{
	uint32_t a[2];
	if (syscall_args(tf, a, 2) < 0)
		return -EFAULT;
	int max = (int)a[1];
	if (max < 0 || (unsigned)max > 0x10000000u / sizeof(struct task_info))
		return -EINVAL;
	size_t bytes = max * sizeof(struct task_info);
	if (!vm_range_ok(curtask()->vm, a[0], bytes, VM_WRITE))
		return -EFAULT;
	int room = proc_tasklist(NULL, 0) + 16;	/* tasks that may appear meanwhile */
	if (max > room)
		max = room;	/* the result still counts every task */
	struct task_info *buf = max ? kmalloc(max * sizeof *buf) : NULL;
	if (max && !buf)
		return -ENOMEM;
	int n = proc_tasklist(buf, max);
	/* max == 0 only counts: copy_to_user would refuse any address, even
	 * for no bytes, and fable.h promises buf is not looked at. */
	size_t copied = (n < max ? n : max) * sizeof *buf;
	int err = copied ? copy_to_user(a[0], buf, copied) : 0;
	kfree(buf);
	return err < 0 ? err : n;
}
