/*
 * fable/trace.h: the kernel trace (docs/abi/fable.md §9): the event
 * record, the event classes and the operations of vector 0x85. Shared by
 * the kernel (debug/trace.c, syscall/sys_fable.c), user programs (through
 * <fable.h>) and, by its numbers, the host tool tools/trace.
 */
#ifndef FABLE_TRACE_H
#define FABLE_TRACE_H

/* Event classes: the bits of the class mask. */
#define TRACE_SCHED	0x01u	/* switch, wake-up, block */
#define TRACE_SYSCALL	0x02u	/* system-call entry and exit */
#define TRACE_FAULT	0x04u	/* page faults */
#define TRACE_IRQ	0x08u	/* hardware interrupts */
#define TRACE_PROC	0x10u	/* fork, exec, vanish, task names */
#define TRACE_TLB	0x20u	/* TLB shootdowns */
#define TRACE_ALL	0x3Fu
/* Not classes (above the classes, so that a mask is never negative):
 * write the buffer to the debug log at poweroff; keep the
 * first events when a ring is full (normally the newest are kept). */
#define TRACE_DUMP	0x100u
#define TRACE_FIRST	0x200u

/* Event types (trace_event_t.type) and what a, b, c hold. */
#define TREV_SWITCH	1	/* a next tid, b next task, c why: the old thread's TREV_WHY_* */
#define TREV_WAKE	2	/* a woken tid, b its task, c what it waited in: TREV_WHY_* */
#define TREV_BLOCK	3	/* a TREV_WHY_*, b the wait queue, wake tick or flag address, c the caller */
#define TREV_SYSCALL	4	/* a vector, b %esi */
#define TREV_SYSRET	5	/* a vector, b the result */
#define TREV_FAULT	6	/* a address, b eip, c TREV_FAULT_* | error code << 8 */
#define TREV_IRQ	7	/* a vector, b eip */
#define TREV_FORK	8	/* a new tid, b new task (0: a thread of this task) */
#define TREV_EXEC	9	/* a, b, c the program name's first 12 bytes */
#define TREV_VANISH	10	/* a exit status, b 1 if the task ends with it */
#define TREV_TLB	11	/* a CPU mask, b first address (0: scattered), c pages */
#define TREV_NAME	12	/* as TREV_EXEC, for a task that existed already */

/* Why a thread stopped running, or what it waited in. */
#define TREV_WHY_RUNNABLE	1	/* preempted or yielded */
#define TREV_WHY_BLOCKED	2	/* a kernel wait queue */
#define TREV_WHY_SLEEPING	3	/* sleep() */
#define TREV_WHY_DESCHEDULED	4	/* deschedule() */
#define TREV_WHY_DEAD		5	/* vanished */

/* How a page fault ended. */
#define TREV_FAULT_ZERO	1	/* a read mapped the shared zero page */
#define TREV_FAULT_ZFOD	2	/* a write got a fresh zeroed page */
#define TREV_FAULT_COW	3	/* a write got a private copy */
#define TREV_FAULT_AGAIN 4	/* already resolved (another thread) */
#define TREV_FAULT_KILL	5	/* refused: the thread's exception */
#define TREV_FAULT_COPY	6	/* refused in a user copy: -EFAULT */

/* The operations of TRACE_INT: the first word of the packet. */
#define TRACE_OP_SET	0	/* {op, mask}: previous mask */
#define TRACE_OP_READ	1	/* {op, buf, max}: events moved out */
#define TRACE_OP_CLEAR	2	/* {op}: 0 */
#define TRACE_OP_STAT	3	/* {op, out}: 0 */
#define TRACE_OP_SET_SIZE 4	/* {op, mask, events}: previous mask */
/* Events each CPU's ring holds: a power of two in this range; the
 * default until a set asks for another size. */
#define TRACE_EVENTS_MIN	64
#define TRACE_EVENTS_MAX	131072	/* 4 MiB */
#define TRACE_EVENTS_DEFAULT	8192
/* Most events one read moves out: 64 KiB, so that a wild length cannot
 * make the kernel write far past a small buffer (a reader loops). */
#define TRACE_READ_MAX	2048

#ifndef __ASSEMBLER__	/* the user stubs (user/lib/syscall/trace.S) need the numbers only */
typedef struct trace_event {
	unsigned long long tsc;	/*  0: time stamp counter */
	unsigned char type;	/*  8: TREV_* */
	unsigned char cpu;	/*  9: the CPU that recorded it */
	unsigned short zero;	/* 10: 0 */
	int tid;		/* 12: the running thread (0: none yet, or idle) */
	int task;		/* 16: its task (0: a kernel thread) */
	unsigned int a, b, c;	/* 20: by type, above */
} trace_event_t;		/* 32 bytes */

typedef struct trace_stat {
	unsigned int mask;	/*  0: the class mask, TRACE_DUMP included */
	unsigned int capacity;	/*  4: events each CPU's ring holds (or will) */
	unsigned int buffered;	/*  8: events waiting to be read, every CPU */
	unsigned int lost;	/* 12: events overwritten unread since the last clear */
} trace_stat_t;			/* 16 bytes */
#endif

#endif /* FABLE_TRACE_H */
