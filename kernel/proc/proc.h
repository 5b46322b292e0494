/*
 * proc.h: the life cycle of threads and tasks - creation, fork,
 * thread_fork, exec, exit, wait - and the tid table.
 */
#ifndef PROC_PROC_H
#define PROC_PROC_H

#include "proc/thread.h"
#include <fable/taskinfo.h>

struct trapframe;

extern struct mutex proc_lock;	/* the task tree: parents, children, exits */

/* Find a live thread by tid. Caller holds sched_lock. O(1) expected. */
struct thread *thread_find(int tid);
/* Number of tasks (incl. unreaped) and threads that exist. */
void proc_counts(unsigned *tasks, unsigned *threads);

/* Run fn (which must not return) in a new kernel thread; its tid or
 * -ENOMEM. */
int proc_kthread(void (*fn)(void));
/* The calling kernel thread ends (its function must not return). */
void proc_kthread_exit(void) __attribute__((noreturn));
_Static_assert(TASK_NAME == TASKINFO_NAME, "tasklist copies the whole name");

/* Describe the first max tasks by increasing id into out; returns how
 * many tasks exist. */
int proc_tasklist(struct task_info *out, int max);
/* Record every task's name in the trace (debug/trace.h), for a trace
 * that begins after they were named. */
void proc_trace_names(void);
/* Start the first user program, argv[0] names it. Returns its task id. */
int proc_start_first(char *const argv[]);
/* The task orphans and their exit statuses go to (init). */
struct task *proc_init_task(void);

/* swexn (docs/abi/swexn.md): register handler h (h->esp3 or h->eip 0:
 * deregister) and, if u is not NULL, load the registers u into tf.
 * Changes nothing and returns -EINVAL if h or u is unsafe; else 0, or
 * u's %eax when u was loaded (so that the dispatcher keeps it). */
int proc_swexn(const struct swexn_reg *h, const struct trapframe *u, struct trapframe *tf);
/* Replace the calling task's program by name with arguments argv (argc
 * strings in kernel memory) and aim tf at its start. The program is the
 * RAM disk's file name, or, if image is not NULL, the ELF file of size
 * bytes there (name is then the path it was read from, and the task is
 * named after its last component). -EBUSY if the task has another
 * thread; any error leaves the caller's image untouched. */
int proc_exec(const char *name, const uint8_t *image, uint32_t size, int argc,
	      char *const argv[], struct trapframe *tf);
int proc_fork(struct trapframe *tf);
int proc_thread_fork(struct trapframe *tf);
int proc_wait(uintptr_t status_uptr);
void proc_set_status(int status);
/* End the calling thread; the last one out ends its task. */
void proc_thread_exit(void) __attribute__((noreturn));
/* End every thread of the caller's task with the given status. */
void proc_task_vanish(int status) __attribute__((noreturn));
/* proc_user_fault, proc_kill_fault and the way back to user mode,
 * proc_user_return, are called from below: they are declared in
 * upcall.h. */

#endif
