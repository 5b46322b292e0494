/*
 * exec.c: a task swaps its program (docs/abi/lifecycle.md, docs/tasks.md).
 *
 * syscall/sys_proc.c copies the name and the arguments into the kernel;
 * here the loader builds the whole new image beside the old one, and only
 * when nothing can fail any more does the task trade address spaces: an
 * exec that fails leaves the caller exactly as it was.
 */
#include "proc/proc.h"
#include "proc/fpu.h"
#include "proc/loader.h"
#include "arch/x86/trap.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/vm.h"
#include "debug/trace.h"

/* Does k have a thread besides the caller? Takes k's lock. */
static bool has_other_threads(struct task *k)
{
	mutex_lock(&k->lock);
	bool others = k->nthreads > 1;
	mutex_unlock(&k->lock);
	return others;
}

int proc_exec(const char *name, const uint8_t *image, uint32_t size, int argc,
	      char *const argv[], struct trapframe *tf)
{
	struct task *k = curtask();
	if (has_other_threads(k))
		return -EBUSY;
	struct vm *vm;
	struct trapframe ntf;
	int err = image ? loader_load_image(image, size, argc, argv, &vm, &ntf)
			: loader_load(name, argc, argv, &vm, &ntf);
	for (const char *p = name; *p; p++)	/* a path's program is named as its file */
		if (p[0] == '/' && p[1])
			name = p + 1;
	if (err < 0)
		return err;
	/* The point of no return: the new image is complete. Check again
	 * that no thread appeared meanwhile, atomically with the swap. */
	mutex_lock(&k->lock);
	if (k->nthreads > 1) {
		mutex_unlock(&k->lock);
		vm_destroy(vm);
		return -EBUSY;
	}
	struct vm *old = k->vm;
	k->vm = vm;
	/* tasklist copies the whole field: clear the old name's tail. */
	memset(k->name, 0, sizeof k->name);
	strlcpy(k->name, name, sizeof k->name);
	mutex_unlock(&k->lock);
	if (trace_on(TRACE_PROC))
		trace_name(curthread()->tid, k->id, TREV_EXEC, name);
	vm_activate(vm);
	vm_destroy(old);
	curthread()->swexn = (struct swexn_reg){ 0, 0, 0 };	/* the old image's */
	fpu_forget();
	*tf = ntf;
	return 0;	/* becomes %eax: 0, like every other register */
}
