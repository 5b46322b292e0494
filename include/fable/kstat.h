/*
 * fable/kstat.h: what kstat (vector 0x81) reports (docs/abi/fable.md §3):
 * kernel counters, one consistent snapshot. Fields are only ever
 * appended: the caller sets size = sizeof(kstat_t) before the call; the
 * kernel fills min(size, its own size) bytes and stores that count back
 * in size. Shared by the kernel (syscall/sys_fable.c) and user programs
 * (through <fable.h>).
 */
#ifndef FABLE_KSTAT_H
#define FABLE_KSTAT_H

/* Per-CPU records in kstat_t: the kernel's MAX_CPUS (docs/smp.md). A
 * CPU the kernel does not run has a record of zeros. */
#define KSTAT_CPUS 8

/* One CPU's own counters (cpu[i] of kstat_t, CPU i as ps numbers them);
 * kstat_t's sums above are these added up over the CPUs. */
typedef struct kstat_cpu {
	unsigned int idle_tsc_lo;              /*  0: TSC cycles its idle thread ran */
	unsigned int idle_tsc_hi;              /*  4:     since boot (64 bits), an
						*     idle stretch going on included */
	unsigned int context_switches;         /*  8: it made, since boot */
	unsigned int ipis;                     /* 12: it sent (reschedule and TLB
						*     shootdown), since boot */
	unsigned int tlb_shootdowns;           /* 16: it started that interrupted
						*     other CPUs, since boot */
} kstat_cpu_t;                                 /* 20 bytes */

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
	unsigned int open_files;               /* 44: open files (descriptors share
						*     them), the console's not counted */
	unsigned int pipes;                    /* 48: pipes with an end still open */
	unsigned int fs_pages;                 /* 52: pages of file data held in
						*     kernel memory (tmpfs) */
	unsigned int bcache_hits;              /* 56: block-cache lookups that found
						*     the block, since boot */
	unsigned int bcache_misses;            /* 60: ... that had to read it */
	unsigned int ipis;                     /* 64: inter-processor interrupts
						*     sent since boot (reschedule
						*     and TLB shootdown) */
	unsigned int tlb_shootdowns;           /* 68: TLB shootdowns since boot
						*     that interrupted other CPUs */
	unsigned int idle_tsc_lo;              /* 72: TSC cycles the idle threads had */
	unsigned int idle_tsc_hi;              /* 76:     their CPUs since boot, summed
						*     over the CPUs (64 bits) */
	unsigned int net_rx_packets;           /* 80: frames received and handed to
						*     the stack, since boot */
	unsigned int net_rx_bytes;             /* 84 */
	unsigned int net_tx_packets;           /* 88: frames the card has sent */
	unsigned int net_tx_bytes;             /* 92 */
	unsigned int net_drops;                /* 96: received frames lost (ring
						*     full, no buffer in the stack) */
	unsigned int net_errors;               /* 100: damaged frames received, or
						*     frames the card could not send */
	unsigned int cpus;                     /* 104: CPUs that run the scheduler;
						*     cpu[cpus..] are all zero */
	kstat_cpu_t cpu[KSTAT_CPUS];           /* 108: each CPU's own counters,
						*     20 bytes each, to 268 */
} kstat_t;                                     /* 268 bytes */

#endif /* FABLE_KSTAT_H */
