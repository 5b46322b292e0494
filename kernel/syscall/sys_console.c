/*
 * sys_console.c: console and file system calls (docs/abi/console.md, docs/abi/ramdisk.md §2).
 * User bytes are copied into a kernel buffer first, so the console lock
 * is never held across a user-memory access (which may fault and sleep).
 *
 * print, readline and getchar act on the task's standard output
 * (descriptor 1) and input (descriptor 0): the console, as Pebbles
 * programs expect, unless the descriptor was redirected to a file or a
 * pipe (docs/files.md). Then the bytes go through the file instead.
 */
#include "syscall/syscall.h"
#include "dev/console.h"
#include "dev/input.h"
#include "dev/ramdisk.h"
#include "fs/file.h"
#include "fs/program.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/sched.h"
#include "proc/thread.h"

#define NAME_MAX 255

/* Is descriptor fd the console? If not, *f gets its file (referenced),
 * or NULL if fd is closed. A kernel thread (a KTEST) has no descriptors
 * and prints on the console. */
static bool is_console(int fd, struct file **f)
{
	*f = NULL;
	if (!curtask() || !curtask()->files)
		return true;
	*f = file_get(fd);
	if (!*f || (*f)->kind != FILE_CONSOLE)
		return false;
	file_put(*f);
	*f = NULL;
	return true;
}

/* print to a redirected output f (NULL: descriptor 1 is closed): all
 * the bytes, or an error. As on the console, 0 bytes always succeed. */
static int print_to(struct file *f, const struct trapframe *tf)
{
	uint32_t a[2];
	if (syscall_args(tf, a, 2) < 0)
		return -EFAULT;
	int len = (int)a[0];
	if (len < 0 || len > SYSCALL_IO_CAP)
		return -EINVAL;
	if (len == 0)
		return 0;
	if (!f)
		return -EBADF;
	if (!vm_range_ok(curtask()->vm, a[1], len, VM_READ))
		return -EFAULT;
	struct uio u = { (char *)a[1], (uint32_t)len, true };
	int n = file_write(f, &u);
	return n < 0 ? n : n < len ? -EIO : 0;
}

int sys_print(struct trapframe *tf)
{
	struct file *f;
	sched_note_output();	/* the latency probe */
	if (is_console(1, &f))
		return syscall_output(tf, console_write);
	int err = print_to(f, tf);
	if (f)
		file_put(f);
	return err;
}

int sys_getchar(struct trapframe *tf)
{
	struct file *f;
	(void)tf;
	if (is_console(0, &f))
		return input_getchar();
	if (!f)
		return -EBADF;
	unsigned char c;
	struct uio u = { (char *)&c, 1, false };
	int n = file_read(f, &u);
	file_put(f);
	return n < 0 ? n : n == 0 ? -EEOF : c;
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
	struct file *f;
	if (!is_console(0, &f)) {
		if (!f)
			return -EBADF;
		struct uio u = { (char *)a[1], (uint32_t)size, true };
		int n = file_readline(f, &u);
		file_put(f);
		return n;
	}
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

/* readfile of a file the RAM disk does not have: a path, or a name in
 * /bin (fs/program.h). The same checks, in the same order. */
static int readfile_disk(const char *name, uint32_t ubuf, int count, int offset)
{
	if (count < 0 || offset < 0)
		return -EINVAL;
	if (!vm_range_ok(curtask()->vm, ubuf, count, VM_WRITE))
		return -EFAULT;
	struct uio u = { (char *)ubuf, (uint32_t)count, true };
	return program_pread(name, (uint32_t)offset, &u);
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
	const struct rd_file *f = strchr(name, '/') ? NULL : ramdisk_find(name);
	if (!f)
		return readfile_disk(name, a[1], count, offset);
	if (count < 0 || offset < 0 || (uint32_t)offset > f->size)
		return -EINVAL;
	uint32_t n = f->size - offset < (uint32_t)count ? f->size - offset : (uint32_t)count;
	if (!vm_range_ok(curtask()->vm, a[1], count, VM_WRITE))
		return -EFAULT;
	/* The bytes are not kernel memory: through a buffer, as a user copy
	 * may fault and sleep, which a KMAP session forbids. */
	char buf[RAMDISK_BOUNCE];
	for (uint32_t done = 0; done < n; ) {
		uint32_t k = n - done < sizeof buf ? n - done : sizeof buf;
		ramdisk_copy(f, offset + done, k, buf);
		err = copy_to_user(a[1] + done, buf, k);
		if (err < 0)
			return err;
		done += k;
	}
	return n;
}
