/*
 * sys_fable.c: Fable's extensions - debug_print, kstat, poweroff
 * (pebbles-abi.md 12).
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

#define IO_CAP 4096	/* print, readline and debug_print limit */

struct kstat {
	uint32_t size, total_frames, free_frames, kernel_heap_bytes_in_use;
	uint32_t tasks, threads, ticks, context_switches, page_faults, syscalls;
};

int sys_debug_print(struct trapframe *tf)
{
	uint32_t a[2];
	if (syscall_args(tf, a, 2) < 0)
		return -EFAULT;
	int len = (int)a[0];
	if (len < 0 || len > IO_CAP)
		return -EINVAL;
	char *buf = kmalloc(len + 1);
	if (!buf)
		return -ENOMEM;
	int err = copy_from_user(buf, a[1], len);
	if (!err)
		serial_write(buf, len);	/* one piece: nothing comes between */
	kfree(buf);
	return err;
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
	return copy_to_user(tf->esi, &k, k.size);
}

int sys_poweroff(struct trapframe *tf)
{
	machine_poweroff((int)tf->esi);
}
