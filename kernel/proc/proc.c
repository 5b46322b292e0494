/*
 * proc.c: threads and tasks come and go (see proc.h).
 *
 * fork copies the caller's address space (copy-on-write, mm/vm.c) and
 * its thread's trapframe; the child's thread starts at thread_entry
 * (switch.S) and "returns" from fork with %eax = 0. A thread that
 * vanishes cannot free the stack it runs on: it marks itself dead and
 * switches away, and the next thread to run frees it (sched.c). The
 * last thread of a task frees the address space and leaves a small
 * zombie record for wait(). A task's descriptors are the file layer's
 * (fs/file.c): fork and the last exit call up to it (upcall.h).
 */
#include "proc/proc.h"
#include "proc/fpu.h"
#include "proc/sched.h"
#include "proc/loader.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "debug/debug.h"
#include "debug/trace.h"
#include "upcall.h"

#define TID_BUCKETS 1024

void thread_entry(void);
void kthread_entry(void);

/* Lock tags (docs/sync.md): [b] boot, [s] sched_lock, [p] proc_lock. */
struct mutex proc_lock = MUTEX_INIT(proc_lock, "proc");
static struct thread *tid_hash[TID_BUCKETS];	/* [s] */
static int next_tid = 1;			/* [s] */
static unsigned nr_tasks, nr_threads;		/* [s] */
static struct task *init_task;			/* [b] the first task */
static struct list all_tasks;			/* [p] every task, newest first */

struct thread *thread_find(int tid)
{
	ASSERT_HELD(&sched_lock);
	struct thread *t = tid_hash[(unsigned)tid % TID_BUCKETS];
	while (t && t->tid != tid)
		t = t->hnext;
	return t;
}

/* Caller holds sched_lock. */
static void hash_remove(struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	struct thread **p = &tid_hash[(unsigned)t->tid % TID_BUCKETS];
	while (*p != t)
		p = &(*p)->hnext;
	*p = t->hnext;
}

void proc_counts(unsigned *tasks, unsigned *threads)
{
	uint32_t f = spin_lock(&sched_lock);
	*tasks = nr_tasks;
	*threads = nr_threads;
	spin_unlock(&sched_lock, f);
}

struct task *proc_init_task(void)
{
	return init_task;
}

/* A thread of task k with a fresh tid and a kernel stack forged so that
 * its first switch-in lands in thread_entry (switch.S). NULL if out of
 * memory. Not yet visible to anyone. */
static struct thread *thread_alloc(struct task *k)
{
	struct thread *t = kzalloc(sizeof *t);
	if (!t)
		return NULL;
	t->kstack = kstack_alloc();
	if (!t->kstack) {
		kfree(t);
		return NULL;
	}
	t->task = k;
	t->state = TS_NEW;
	t->tf = (struct trapframe *)((char *)t->kstack + KSTACK_SIZE) - 1;
	uint32_t *sp = (uint32_t *)t->tf;
	*--sp = (uint32_t)thread_entry;
	for (int i = 0; i < 4; i++)
		*--sp = 0;	/* %ebp %ebx %esi %edi for swtch to pop */
	t->ksp = (uint32_t)sp;
	uint32_t f = spin_lock(&sched_lock);
	sched_stack_own(t->kstack, KSTACK_SIZE, t);
	sched_inherit(t, curthread());
	t->tid = next_tid;
	next_tid = next_tid == 0x7FFFFFFF ? 1 : next_tid + 1;
	spin_unlock(&sched_lock, f);
	return t;
}

static void thread_free(struct thread *t)
{
	uint32_t f = spin_lock(&sched_lock);
	sched_stack_own(t->kstack, KSTACK_SIZE, NULL);
	spin_unlock(&sched_lock, f);
	kstack_free(t->kstack);
	kfree(t);
}

/* Publish t's tid and let it run. */
static void thread_publish(struct thread *t)
{
	uint32_t f = spin_lock(&sched_lock);
	struct thread **b = &tid_hash[(unsigned)t->tid % TID_BUCKETS];
	t->hnext = *b;
	*b = t;
	nr_threads++;
	sched_add(t);
	spin_unlock(&sched_lock, f);
}

/* Link t into its task, then publish it. */
static void thread_start(struct thread *t)
{
	struct task *k = t->task;
	t->task_id = k->id;
	mutex_lock(&k->lock);
	list_push_front(&k->threads, &t->tlink);
	k->nthreads++;
	mutex_unlock(&k->lock);
	thread_publish(t);
}

/* Link t into its new task k as its only thread. Before task_link() no
 * one can see k, so this takes no lock; thread_publish() follows. */
static void task_first_thread(struct task *k, struct thread *t)
{
	t->task_id = k->id;
	list_push_front(&k->threads, &t->tlink);
	k->nthreads = 1;
}

int proc_kthread(void (*fn)(void))
{
	struct thread *t = thread_alloc(NULL);
	if (!t)
		return -ENOMEM;
	/* No user context: the stack starts right at the top, and the first
	 * switch-in "returns" into kthread_entry, which calls fn. */
	uint32_t *sp = (uint32_t *)((char *)t->kstack + KSTACK_SIZE);
	*--sp = (uint32_t)fn;
	*--sp = (uint32_t)kthread_entry;
	for (int i = 0; i < 4; i++)
		*--sp = 0;
	t->ksp = (uint32_t)sp;
	thread_publish(t);
	return t->tid;
}

static struct task *task_alloc(void)
{
	struct task *k = kzalloc(sizeof *k);
	if (k) {
		mutex_init(&k->lock, "task");
		cond_init(&k->child_exit);
		k->state = TASK_ALIVE;
	}
	return k;
}

/* Make k a child of parent and count it. */
static void task_link(struct task *k, struct task *parent)
{
	mutex_lock(&proc_lock);
	list_push_front(&all_tasks, &k->all);
	k->parent = parent;
	if (parent) {
		list_push_front(&parent->children, &k->sibling);
		parent->nchildren++;
	}
	uint32_t f = spin_lock(&sched_lock);
	nr_tasks++;
	spin_unlock(&sched_lock, f);
	mutex_unlock(&proc_lock);
}

int proc_start_first(char *const argv[])
{
	int argc = 0;
	while (argv[argc])
		argc++;
	struct task *k = task_alloc();
	if (!k)
		return -ENOMEM;
	int err = -ENOMEM;
	struct thread *t = thread_alloc(k);
	if (!t || files_fork(NULL, k) < 0)
		goto out;
	err = loader_load(argv[0], argc, argv, &k->vm, t->tf);
	if (err < 0)
		goto out;
	k->id = t->tid;
	strlcpy(k->name, argv[0], sizeof k->name);
	init_task = k;
	task_first_thread(k, t);
	task_link(k, NULL);
	if (trace_on(TRACE_PROC))
		trace_name(t->tid, k->id, TREV_EXEC, k->name);
	thread_publish(t);
	return k->id;
out:
	if (t)
		thread_free(t);
	files_exit(k);
	kfree(k);
	return err;
}

/*
 * Let a new child run before its parent continues. A child usually execs
 * or exits at once: running it first spares the parent copy-on-write
 * faults on pages the child is about to drop, and keeps a parent that
 * forks in a loop from piling up thousands of live children. The child
 * is found by its tid: once published it may already have run, exited
 * and been freed.
 */
static void run_child_first(int tid)
{
	uint32_t f = spin_lock(&sched_lock);
	struct thread *child = thread_find(tid);
	if (child && child->state == TS_RUNNABLE)
		sched_yield_to(child);
	spin_unlock(&sched_lock, f);
}

int proc_fork(struct trapframe *tf)
{
	struct thread *self = curthread();
	struct task *k = task_alloc();
	if (!k)
		return -ENOMEM;
	struct thread *t = thread_alloc(k);
	if (!t)
		goto out;
	k->vm = vm_fork(self->task->vm);
	if (!k->vm)
		goto out;
	if (files_fork(self->task, k) < 0) {
		vm_destroy(k->vm);
		goto out;
	}
	*t->tf = *tf;
	t->tf->eax = 0;			/* the child's side of "returns twice" */
	t->swexn = self->swexn;		/* fork inherits the handler */
	memcpy(k->name, self->task->name, sizeof k->name);
	fpu_copy(t);
	int id = k->id = t->tid;
	task_first_thread(k, t);
	task_link(k, self->task);
	if (trace_on(TRACE_PROC))	/* before the child can run */
		trace_record(TREV_FORK, id, id, 0);
	thread_publish(t);
	/* From here the child may run, exit and be reaped (by another of
	 * our threads): t and k must not be touched. */
	run_child_first(id);
	return id;
out:
	if (t)
		thread_free(t);
	kfree(k);
	return -ENOMEM;
}

int proc_thread_fork(struct trapframe *tf)
{
	struct thread *self = curthread();
	struct thread *t = thread_alloc(self->task);
	if (!t)
		return -ENOMEM;
	*t->tf = *tf;
	t->tf->eax = 0;
	fpu_copy(t);
	int tid = t->tid;
	if (trace_on(TRACE_PROC))
		trace_record(TREV_FORK, tid, 0, 0);
	thread_start(t);	/* t may run, vanish and be freed from here on */
	return tid;
}

/* Peek: does k have a zombie child? Caller holds proc_lock. */
static struct task *find_zombie(struct task *k)
{
	ASSERT_HELD(&proc_lock);
	list_for_each(struct task, c, &k->children, sibling)
		if (c->state == TASK_ZOMBIE)
			return c;
	return NULL;
}

/* First zombie among k's children, unlinked; NULL if none. Caller holds
 * proc_lock. */
static struct task *take_zombie(struct task *k)
{
	ASSERT_HELD(&proc_lock);
	struct task *z = find_zombie(k);
	if (!z)
		return NULL;
	list_remove(&k->children, &z->sibling);
	k->nchildren--;
	return z;
}

/* Reap z (already unlinked from its parent): its record is all that is
 * left. Caller holds proc_lock. */
static void reap(struct task *z)
{
	ASSERT_HELD(&proc_lock);
	list_remove(&all_tasks, &z->all);
	uint32_t f = spin_lock(&sched_lock);
	nr_tasks--;
	spin_unlock(&sched_lock, f);
	kfree(z);
}

/* wait's end: store zombie child z's status (if status_uptr is not 0)
 * and reap z; z's id. A status that cannot be stored consumes no child:
 * -EFAULT. Caller holds proc_lock. */
static int reap_into(struct task *k, struct task *z, uintptr_t status_uptr)
{
	if (status_uptr && copy_to_user(status_uptr, &z->status, sizeof(int)) < 0)
		return -EFAULT;
	int id = z->id;
	take_zombie(k);
	reap(z);
	return id;
}

int proc_wait(uintptr_t status_uptr)
{
	struct task *k = curtask();
	if (status_uptr && !vm_range_ok(k->vm, status_uptr, sizeof(int), VM_WRITE))
		return -EFAULT;
	mutex_lock(&proc_lock);
	int ret;
	for (;;) {
		struct task *z = find_zombie(k);
		if (z) {
			ret = reap_into(k, z, status_uptr);
			break;
		}
		if (k->nchildren <= k->nwaiting) {
			ret = -ECHILD;
			break;
		}
		k->nwaiting++;
		ret = cond_wait_intr(&k->child_exit, &proc_lock);
		k->nwaiting--;
		if (ret < 0)
			break;
	}
	mutex_unlock(&proc_lock);
	return ret;
}

void proc_set_status(int status)
{
	struct task *k = curtask();
	mutex_lock(&k->lock);
	k->status = status;
	mutex_unlock(&k->lock);
}

/* Give k's children to init; wake init if one of them already exited.
 * Caller holds proc_lock. */
static void reparent_children(struct task *k)
{
	ASSERT_HELD(&proc_lock);
	bool zombie = false;
	struct list_node *n;
	while ((n = list_pop_front(&k->children))) {
		struct task *c = list_entry(n, struct task, sibling);
		c->parent = init_task;
		list_push_front(&init_task->children, n);
		init_task->nchildren++;
		zombie |= c->state == TASK_ZOMBIE;
	}
	k->nchildren = 0;
	if (zombie)
		cond_broadcast(&init_task->child_exit);
}

/* The last thread of k is leaving, with vm, k's address space, taken
 * off k: free its memory, hand its children to init and become a zombie
 * for the parent's wait. */
static void task_exit(struct task *k, struct vm *vm)
{
	files_exit(k);		/* a pipe's reader sees the end now */
	vm_activate(NULL);	/* off vm's page directory before freeing it */
	vm_destroy(vm);
	if (k == init_task) {
		cprintf("\nfable: init (task %d) exited with status %d; halting\n", k->id, k->status);
		machine_shutdown(0);
	}
	mutex_lock(&proc_lock);
	reparent_children(k);
	k->state = TASK_ZOMBIE;
	if (k->parent)
		cond_broadcast(&k->parent->child_exit);
	mutex_unlock(&proc_lock);
}

static void thread_die(struct thread *t) __attribute__((noreturn));

/* The calling thread t leaves its task k, whose lock the caller holds
 * (taken once for the caller's business and this). */
static void __attribute__((noreturn)) thread_exit_locked(struct thread *t, struct task *k)
{
	ASSERT_HELD(&k->lock);
	list_remove(&k->threads, &t->tlink);
	bool last = --k->nthreads == 0;
	if (trace_on(TRACE_PROC))
		trace_record(TREV_VANISH, k->status, last, 0);
	/* The last thread takes the address space off k under the same
	 * hold: tasklist may be reading k->vm (describe). */
	struct vm *vm = last ? k->vm : NULL;
	if (last)
		k->vm = NULL;
	/* Unlinked, we no longer keep k alive: once its last thread is gone
	 * its parent may reap it, even while we are preempted right after
	 * the unlock. So the pointer goes before the lock does, or switching
	 * back to us would read k's freed address space (the fuzzer found
	 * it at 1 GiB). From here we run kernel code only, mapped in every
	 * address space, so the scheduler looks for no space of ours (as
	 * for the idle thread). */
	t->task = NULL;
	mutex_unlock(&k->lock);
	if (last)
		task_exit(k, vm);	/* k may be reaped from here on: don't touch it */
	thread_die(t);
}

void proc_kthread_exit(void)
{
	thread_die(curthread());
}

/* The end of every thread, t the caller: off the tid table, and the next
 * thread to run on its CPU frees it (struct cpu's dead). */
static void thread_die(struct thread *t)
{
	fpu_forget();
	uint32_t f = spin_lock(&sched_lock);
	(void)f;		/* never released here: the next thread does */
	hash_remove(t);
	nr_threads--;
	t->state = TS_DEAD;
	t->cpu->dead = t;	/* t runs: its CPU is this one */
	sched_switch();
	panic("a dead thread was scheduled");
}

void proc_thread_exit(void)
{
	struct thread *t = curthread();
	mutex_lock(&t->task->lock);
	thread_exit_locked(t, t->task);
}

void proc_task_vanish(int status)
{
	struct thread *self = curthread();
	struct task *k = self->task;
	mutex_lock(&k->lock);
	k->status = status;
	if (k->nthreads > 1) {	/* exact under the lock: no others, no kill */
		uint32_t f = spin_lock(&sched_lock);
		list_for_each(struct thread, t, &k->threads, tlink)
			if (t != self)
				sched_kill(t);
		spin_unlock(&sched_lock, f);
	}
	thread_exit_locked(self, k);
}

void proc_kill_fault(struct trapframe *tf)
{
	struct thread *t = curthread();
	cprintf("\nfable: thread %d killed: %s (cause %u) at ", t->tid,
		trap_name(tf->cause), tf->cause);
	if (tf_vm86(tf))
		cprintf("%04x:%04x in vm86 mode", tf->cs & 0xFFFF, tf->eip & 0xFFFF);
	else
		cprintf("eip %08x", tf->eip);
	if (tf->cause == T_PGFLT)
		cprintf(", cr2 %08x", tf->cr2);
	cprintf("\n");
	trapframe_print(tf, cprintf);
	mutex_lock(&t->task->lock);
	if (t->task->nthreads == 1)
		t->task->status = -2;
	thread_exit_locked(t, t->task);
}

/* From user mode, a vector above the hardware interrupts is a system
 * call: the only DPL-3 gates up there are the system calls' (idt.c). */
static bool from_syscall(const struct trapframe *tf)
{
	return tf->cause >= T_IRQ0 + NIRQ;
}

/*
 * The one way back to user mode (upcall.h): trap() calls it last for
 * every system call, exception and interrupt that came from user mode.
 * Its steps, in this order:
 *   1. after a system call, a misbehave mode may give up the CPU
 *      (sched_misbehave_yield; the mode is tested first, as it is
 *      almost always off);
 *   2. a debug kernel checks that the thread holds no lock of the task
 *      layer and that the counts are sane (check_user_return);
 *   3. a thread killed meanwhile (task_vanish) ends here rather than
 *      return; checked last, so that a kill that came during step 1 is
 *      seen.
 * Then vectors.S's trap_return restores the user registers and irets.
 */
void proc_user_return(struct trapframe *tf)
{
	if (sched_syscall_may_yield() && from_syscall(tf))
		sched_misbehave_yield();
	DEBUG_CHECK(check_user_return());
	if (curthread()->killed)
		proc_thread_exit();
}

static int thread_info_state(const struct thread *t)
{
	switch (t->state) {
	case TS_RUNNING: return THRINFO_RUNNING;
	case TS_SLEEPING: return THRINFO_SLEEPING;
	case TS_DESCHEDULED: return THRINFO_DESCHEDULED;
	case TS_RUNNABLE: case TS_NEW: return THRINFO_RUNNABLE;
	default: return THRINFO_BLOCKED;
	}
}

/* Describe k in *ti. Caller holds proc_lock; takes k's lock and
 * sched_lock for a consistent view of its threads. */
static void describe(struct task *k, struct task_info *ti)
{
	ASSERT_HELD(&proc_lock);
	memset(ti, 0, sizeof *ti);
	ti->id = k->id;
	ti->parent = k->parent ? k->parent->id : 0;
	ti->state = k->state == TASK_ZOMBIE ? TASKINFO_EXITED : TASKINFO_ALIVE;
	mutex_lock(&k->lock);
	ti->status = k->status;
	memcpy(ti->name, k->name, sizeof ti->name);
	ti->frames = k->vm ? vm_pages(k->vm) : 0;
	ti->nthreads = k->nthreads;
	uint32_t f = spin_lock(&sched_lock);
	int n = 0;
	list_for_each(struct thread, t, &k->threads, tlink) {
		if (n == TASKINFO_THREADS)
			break;
		ti->threads[n++] = (struct thread_info){
			t->tid, thread_info_state(t), t->cpu ? (int)t->cpu->index : -1
		};
	}
	spin_unlock(&sched_lock, f);
	mutex_unlock(&k->lock);
}

/* Put k into out[0..*n) (sorted by id, at most max entries), keeping the
 * lowest ids. Caller holds proc_lock. */
static void tasklist_add(struct task_info *out, int *n, int max, struct task *k)
{
	ASSERT_HELD(&proc_lock);
	if (*n == max && (max == 0 || out[max - 1].id < k->id))
		return;
	int i = *n < max ? (*n)++ : max - 1;	/* full: the highest id goes */
	for (; i > 0 && out[i - 1].id > k->id; i--)
		out[i] = out[i - 1];
	describe(k, &out[i]);
}

void proc_trace_names(void)
{
	mutex_lock(&proc_lock);
	list_for_each(struct task, k, &all_tasks, all) {
		char name[TASK_NAME];
		mutex_lock(&k->lock);
		memcpy(name, k->name, sizeof name);
		mutex_unlock(&k->lock);
		trace_name(0, k->id, TREV_NAME, name);
	}
	mutex_unlock(&proc_lock);
}

int proc_tasklist(struct task_info *out, int max)
{
	mutex_lock(&proc_lock);
	int total = 0, n = 0;
	list_for_each(struct task, k, &all_tasks, all) {
		tasklist_add(out, &n, max, k);
		total++;
	}
	mutex_unlock(&proc_lock);
	return total;
}
