/*
 * fable/taskinfo.h: what tasklist (vector 0x83) reports about each task
 * (docs/abi/fable.md §5). Shared by the kernel (proc/proc.c fills it) and
 * user programs (through <fable.h>; ps prints it).
 */
#ifndef FABLE_TASKINFO_H
#define FABLE_TASKINFO_H

#define TASKINFO_NAME    32	/* bytes of program name kept, with the NUL */
#define TASKINFO_THREADS 8	/* threads listed per task */

/* task_info_t.state */
#define TASKINFO_ALIVE  0	/* has threads */
#define TASKINFO_EXITED 1	/* exited, its status not yet collected by wait */

/* thread_info_t.state */
#define THRINFO_RUNNING     0	/* on the CPU (the caller, for one) */
#define THRINFO_RUNNABLE    1	/* ready to run */
#define THRINFO_BLOCKED     2	/* in a kernel wait: readline, getchar, wait, ... */
#define THRINFO_SLEEPING    3	/* in sleep() */
#define THRINFO_DESCHEDULED 4	/* in deschedule(), until make_runnable */

typedef struct thread_info {
	int tid;				/* 0 */
	int state;				/* 4: THRINFO_* */
	int cpu;				/* 8: the CPU it runs on or last ran
						 *    on (0 the boot CPU), -1 if it
						 *    has not run yet */
} thread_info_t;				/* 12 bytes */

typedef struct task_info {
	int id;					/*  0: task id */
	int parent;				/*  4: parent's task id, 0 if none */
	int state;				/*  8: TASKINFO_* */
	int status;				/* 12: exit status so far (final once exited) */
	int nthreads;				/* 16: live threads (0 once exited) */
	unsigned int frames;			/* 20: user frames held or reserved, its
						 *     page tables included */
	char name[TASKINFO_NAME];		/* 24: program last exec'd, NUL-ended */
	thread_info_t threads[TASKINFO_THREADS];/* 56: the first nthreads (at most 8), by tid */
} task_info_t;					/* 152 bytes */

#endif /* FABLE_TASKINFO_H */
