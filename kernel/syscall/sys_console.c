/*
 * sys_console.c: console and file system calls (docs/abi/console.md, docs/abi/ramdisk.md §2).
 * User bytes are copied into a kernel buffer first, so the console lock
 * is never held across a user-memory access (which may fault and sleep).
 */
#include "syscall/syscall.h"
#include "dev/console.h"
#include "dev/input.h"
#include "dev/ramdisk.h"
#include "lib/errno.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/sched.h"
#include "proc/thread.h"

#define NAME_MAX 255

int sys_print(struct trapframe *tf)
{
	sched_note_output();	/* the latency probe */
	return syscall_output(tf, console_write);
}

int sys_getchar(struct trapframe *tf)
{
	(void)tf;
	return input_getchar();
}

int sys_readline(struct trapframe *tf)
{
	uint32_t a[2];
	if (syscall_args(tf, a, 2) < 0)
		return -EFAULT;
	int size = (int)a[0];
	if (size < 0 || size > SYSCALL_IO_CAP)
		return -EINVAL;
	if (size == 0)
		return 0;
	if (!vm_range_ok(curtask()->vm, a[1], size, VM_WRITE))
		return -EFAULT;
	char *buf = kmalloc(size);
	if (!buf)
		return -ENOMEM;
	int n = input_readline(buf, size);
	if (n > 0 && copy_to_user(a[1], buf, n) < 0)
		n = -EFAULT;	/* unmapped meanwhile by another thread */
	kfree(buf);
	return n;
}

int sys_set_term_color(struct trapframe *tf)
{
	return console_set_color((int)tf->esi) ? 0 : -EINVAL;
}

int sys_set_cursor_pos(struct trapframe *tf)
{
	uint32_t a[2];
	if (syscall_args(tf, a, 2) < 0)
		return -EFAULT;
	return console_set_cursor((int)a[0], (int)a[1]) ? 0 : -EINVAL;
}

int sys_get_cursor_pos(struct trapframe *tf)
{
	uint32_t a[2];
	if (syscall_args(tf, a, 2) < 0)
		return -EFAULT;
	int row, col;
	console_get_cursor(&row, &col);
	if (copy_to_user(a[0], &row, sizeof row) < 0 || copy_to_user(a[1], &col, sizeof col) < 0)
		return -EFAULT;
	return 0;
}

int sys_readfile(struct trapframe *tf)
{
	uint32_t a[4];
	char name[NAME_MAX + 1];
	if (syscall_args(tf, a, 4) < 0)
		return -EFAULT;
	int count = (int)a[2], offset = (int)a[3];
	int err = strncpy_from_user(name, a[0], sizeof name);
	if (err < 0)
		return err;
	const struct rd_file *f = ramdisk_find(name);
	if (!f)
		return -ENOENT;
	if (count < 0 || offset < 0 || (uint32_t)offset > f->size)
		return -EINVAL;
	uint32_t n = f->size - offset < (uint32_t)count ? f->size - offset : (uint32_t)count;
	if (!vm_range_ok(curtask()->vm, a[1], count, VM_WRITE))
		return -EFAULT;
	/* The RAM disk is kernel memory that never changes: copy directly. */
	err = copy_to_user(a[1], f->data + offset, n);
	return err < 0 ? err : (int)n;
}
