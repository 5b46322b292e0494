/*
 * sys_proc.c: life-cycle, thread-control and swexn system calls
 * (docs/abi/lifecycle.md, docs/abi/threads.md, docs/abi/swexn.md). Each
 * handler decodes and checks its arguments and calls the process layer
 * (proc/), which owns every step of a thread's and a task's life.
 */
#include "syscall/syscall.h"
#include "proc/loader.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "arch/x86/pit.h"
#include "dev/power.h"
#include "dev/ramdisk.h"
#include "fs/trust.h"
#include "fs/program.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"

int sys_fork(struct trapframe *tf)
{
	return proc_fork(tf);
}

int sys_thread_fork(struct trapframe *tf)
{
	return proc_thread_fork(tf);
}

int sys_wait(struct trapframe *tf)
{
	return proc_wait(tf->esi);
}

int sys_set_status(struct trapframe *tf)
{
	proc_set_status((int)tf->esi);
	return 0;
}

int sys_vanish(struct trapframe *tf)
{
	(void)tf;
	proc_thread_exit();
}

int sys_task_vanish(struct trapframe *tf)
{
	proc_task_vanish((int)tf->esi);
}

int sys_gettid(struct trapframe *tf)
{
	(void)tf;
	return curthread()->tid;
}

int sys_get_ticks(struct trapframe *tf)
{
	(void)tf;
	return (int)pit_ticks();
}

int sys_sleep(struct trapframe *tf)
{
	int ticks = (int)tf->esi;
	if (ticks < 0)
		return -EINVAL;
	return sched_sleep(ticks);
}

int sys_misbehave(struct trapframe *tf)
{
	sched_set_misbehave((int)tf->esi);
	return 0;
}

int sys_halt(struct trapframe *tf)
{
	(void)tf;
	machine_shutdown(0);
}

int sys_yield(struct trapframe *tf)
{
	int tid = (int)tf->esi;
	if (tid == -1) {	/* any other thread */
		sched_yield();
		return 0;
	}
	return sched_yield_to_tid(tid);
}

int sys_deschedule(struct trapframe *tf)
{
	return sched_deschedule(tf->esi);
}

int sys_make_runnable(struct trapframe *tf)
{
	return sched_make_runnable((int)tf->esi);
}

/* Copy exec's name and argument vector into one kernel block:
 * argv pointers first, then the strings. Returns argc or -errno. */
static int copy_args(uint32_t uargv, char **argv, char *strs)
{
	int argc = 0, used = 0;
	for (;; argc++) {
		uint32_t p;
		if (copy_from_user(&p, uargv + 4 * argc, 4) < 0)
			return -EFAULT;
		if (!p)
			break;
		if (argc == EXEC_MAX_ARGS)
			return -E2BIG;
		int n = strncpy_from_user(strs + used, p, EXEC_MAX_ARGBYTES - used);
		if (n < 0)
			return n;
		argv[argc] = strs + used;
		used += n + 1;
	}
	argv[argc] = NULL;
	return argc;
}

struct exec_args {
	char name[EXEC_MAX_NAME + 1];
	char *argv[EXEC_MAX_ARGS + 1];
	char strs[EXEC_MAX_ARGBYTES];
};

/* The RAM disk's program of that name first, as Pebbles programs expect;
 * else a path, or a name in /bin (fs/program.h). */
static int exec_named(const char *name, int argc, char *const argv[], struct trapframe *tf)
{
	bool secure = trust_enforced();
	uint8_t digest[SHA256_BYTES];
	const struct rd_file *f = strchr(name, '/') ? NULL : ramdisk_find(name);
	if (f) {
		int err = secure ? trust_ramdisk(name, f) : 0;
		return err < 0 ? err : proc_exec(name, NULL, 0, argc, argv, tf);
	}
	uint8_t *image;
	uint32_t size;
	/* The digest of the very bytes that will be loaded: no window in
	 * which the file could change between the check and the load. */
	int err = program_read(name, &image, &size, secure ? digest : NULL);
	if (err < 0)
		return err;
	err = secure ? trust_check(name, digest) : 0;
	if (err == 0)
		err = proc_exec(name, image, size, argc, argv, tf);
	kfree(image);
	return err;
}

int sys_exec(struct trapframe *tf)
{
	uint32_t a[2];
	if (syscall_args(tf, a, 2) < 0)
		return -EFAULT;
	struct exec_args *x = kmalloc(sizeof *x);
	if (!x)
		return -ENOMEM;
	int argc;
	int err = strncpy_from_user(x->name, a[0], sizeof x->name);
	if (err < 0)
		goto out;
	argc = copy_args(a[1], x->argv, x->strs);
	err = argc;
	if (argc < 0)
		goto out;
	err = exec_named(x->name, argc, x->argv, tf);
out:
	kfree(x);
	return err;
}

int sys_swexn(struct trapframe *tf)
{
	uint32_t a[4];
	if (syscall_args(tf, a, 4) < 0)
		return -EFAULT;
	struct swexn_reg h = { .esp3 = a[0], .eip = a[1], .arg = a[2] };
	uint32_t newureg = a[3];
	if (!newureg)
		return proc_swexn(&h, NULL, tf);
	struct trapframe u;
	if (copy_from_user(&u, newureg, sizeof u) < 0)
		return -EFAULT;
	return proc_swexn(&h, &u, tf);
}
