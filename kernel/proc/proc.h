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

/* Route user faults and pending kills to this layer. */
void proc_init(void);
/* Find a live thread by tid. Caller holds sched_lock. O(1) expected. */
struct thread *thread_find(int tid);
/* Number of tasks (incl. unreaped) and threads that exist. */
void proc_counts(unsigned *tasks, unsigned *threads);

/* Run fn (which must not return) in a new kernel thread; its tid or
 * -ENOMEM. */
int proc_kthread(void (*fn)(void));
_Static_assert(TASK_NAME == TASKINFO_NAME, "tasklist copies the whole name");

/* Describe the first max tasks by increasing id into out; returns how
 * many tasks exist. */
int proc_tasklist(struct task_info *out, int max);
/* Start the first user program, argv[0] names it. Returns its task id. */
int proc_start_first(char *const argv[]);
/* The task orphans and their exit statuses go to (init). */
struct task *proc_init_task(void);

int proc_fork(struct trapframe *tf);
int proc_thread_fork(struct trapframe *tf);
int proc_wait(uintptr_t status_uptr);
void proc_set_status(int status);
/* End the calling thread; the last one out ends its task. */
void proc_thread_exit(void) __attribute__((noreturn));
/* End every thread of the caller's task with the given status. */
void proc_task_vanish(int status) __attribute__((noreturn));
/* Kill the calling thread after an unhandled user exception. */
void proc_kill_fault(struct trapframe *tf) __attribute__((noreturn));
/* An unresolved user exception: run the swexn handler or kill. */
void proc_user_fault(struct trapframe *tf);
/* On every return to user mode: honour a pending kill. */
void proc_user_return(struct trapframe *tf);

#endif
