/*
 * fable.h: Fable's own system calls, vectors 0x80-0x83 (docs/abi/fable.md).
 * Pebbles programs never use them; tests, tools and debugging do.
 */
#ifndef _FABLE_H
#define _FABLE_H

#include <syscall_int.h>

/*
 * Kernel counters, one consistent snapshot. Fields are only ever appended:
 * set size = sizeof(kstat_t) before the call; the kernel fills
 * min(size, its own size) bytes and stores that count back in size.
 */
typedef struct kstat {
	unsigned int size;                     /*  0: in: caller's size; out: bytes filled */
	unsigned int total_frames;             /*  4: frames managed for user memory */
	unsigned int free_frames;              /*  8: neither in use nor reserved */
	unsigned int kernel_heap_bytes_in_use; /* 12: incl. per-block overhead */
	unsigned int tasks;                    /* 16: incl. exited, unreaped tasks */
	unsigned int threads;                  /* 20: threads that exist */
	unsigned int ticks;                    /* 24: as get_ticks() */
	unsigned int context_switches;         /* 28: since boot */
	unsigned int page_faults;              /* 32: since boot */
	unsigned int syscalls;                 /* 36: since boot, all vectors */
	unsigned int page_table_frames;        /* 40: user frames that are page
						*     tables (counted as used) */
} kstat_t;                                     /* 44 bytes */

/* Write len bytes to the debug log (serial port), never to the console.
 * Returns 0, or negative for len < 0, len > 4096 or an unreadable buf. */
int debug_print(int len, const char *buf);

/* Fill *out as described above. Returns 0, or negative if out is not
 * writable for out->size bytes or out->size is < 4 or not a multiple of 4. */
int kstat(kstat_t *out);

/* Stop the machine. Under QEMU (isa-debug-exit at port 0xf4) QEMU exits
 * with ((status << 1) | 1) & 0xFF; elsewhere the machine halts. */
void poweroff(int status) __attribute__((__noreturn__));

/* The statuses the test runner reads as verdicts: QEMU exits 33 and 35. */
#define POWEROFF_PASS 0x10
#define POWEROFF_FAIL 0x11

/*
 * tasklist (vector 0x83, packet {buf, max}): one consistent snapshot of
 * every task, for ps. Tasks come in increasing id order; the first max
 * are stored in buf[0..max-1]. Returns the number of tasks that exist
 * (which may exceed max: call again with a larger buffer), or negative
 * if max < 0 or buf is not writable for max entries (nothing is
 * written then). max == 0 only counts, and buf is not looked at.
 */
#define TASKLIST_INT SYSCALL_RESERVED_3

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
	int tid;
	int state;				/* THRINFO_* */
} thread_info_t;				/* 8 bytes */

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
} task_info_t;					/* 120 bytes */

int tasklist(task_info_t *buf, int max);

#endif /* _FABLE_H */
