/*
 * sys_proc.c: life-cycle and thread-control system calls
 * (docs/abi/lifecycle.md and docs/abi/threads.md).
 */
#include "syscall/syscall.h"
#include "proc/loader.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/fpu.h"
#include "arch/x86/pit.h"
#include "dev/power.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "mm/vm.h"

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
	machine_poweroff(0);
}

int sys_yield(struct trapframe *tf)
{
	int tid = (int)tf->esi;
	if (tid == -1) {
		sched_yield();
		return 0;
	}
	uint32_t f = spin_lock(&sched_lock);
	struct thread *t = thread_find(tid);
	int ret = t ? sched_yield_to(t) : -ESRCH;
	spin_unlock(&sched_lock, f);
	return ret;
}

/*
 * deschedule(flag) must not lose a make_runnable that comes after another
 * thread set *flag. Reading *flag may fault (and sleep), so it cannot be
 * done under sched_lock; instead the thread first announces that it is
 * descheduling (desched = DS_PENDING). A make_runnable that arrives from
 * then on is recorded (DS_WOKEN), and the final check before sleeping
 * happens under sched_lock.
 */
int sys_deschedule(struct trapframe *tf)
{
	struct thread *self = curthread();
	uint32_t f = spin_lock(&sched_lock);
	self->desched = DS_PENDING;
	spin_unlock(&sched_lock, f);
	int flag, err = copy_from_user(&flag, tf->esi, sizeof flag);
	f = spin_lock(&sched_lock);
	if (!err && flag == 0 && self->desched == DS_PENDING && !self->killed) {
		self->state = TS_DESCHEDULED;
		sched_switch();
	}
	self->desched = DS_NONE;
	spin_unlock(&sched_lock, f);
	return err;
}

int sys_make_runnable(struct trapframe *tf)
{
	uint32_t f = spin_lock(&sched_lock);
	struct thread *t = thread_find((int)tf->esi);
	int ret = -ESRCH;
	if (t && t->state == TS_DESCHEDULED) {
		t->desched = DS_NONE;	/* a second make_runnable before t runs fails */
		sched_add(t);
		ret = 0;
	} else if (t && t->desched == DS_PENDING) {
		t->desched = DS_WOKEN;
		ret = 0;
	}
	spin_unlock(&sched_lock, f);
	return ret;
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

int sys_exec(struct trapframe *tf)
{
	uint32_t a[2];
	if (syscall_args(tf, a, 2) < 0)
		return -EFAULT;
	struct exec_args *x = kmalloc(sizeof *x);
	if (!x)
		return -ENOMEM;
	struct trapframe ntf;
	struct vm *vm = NULL;
	int err = strncpy_from_user(x->name, a[0], sizeof x->name);
	int argc = err < 0 ? err : copy_args(a[1], x->argv, x->strs);
	struct task *k = curtask();
	err = argc < 0 ? argc : k->nthreads > 1 ? -EBUSY : 0;
	if (!err)
		err = loader_load(x->name, argc, x->argv, &vm, &ntf);
	if (err < 0) {
		kfree(x);
		return err;
	}
	/* The point of no return: the new image is complete. Check again
	 * that no thread appeared meanwhile, atomically with the swap. */
	mutex_lock(&k->lock);
	struct vm *old = k->vm;
	if (k->nthreads > 1) {
		mutex_unlock(&k->lock);
		vm_destroy(vm);
		kfree(x);
		return -EBUSY;
	}
	k->vm = vm;
	/* tasklist copies the whole field: clear the old name's tail. */
	memset(k->name, 0, sizeof k->name);
	strlcpy(k->name, x->name, sizeof k->name);
	mutex_unlock(&k->lock);
	kfree(x);
	vm_activate(vm);
	vm_destroy(old);
	curthread()->swexn.eip = 0;
	fpu_forget();
	*tf = ntf;
	return 0;	/* becomes %eax: 0, like every other register */
}
