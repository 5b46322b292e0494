/*
 * fable.h: Fable's own system calls, vectors 0x80-0x82 (pebbles-abi.md 12).
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
} kstat_t;                                     /* 40 bytes */

/* Write len bytes to the debug log (serial port), never to the console.
 * Returns 0, or negative for len < 0, len > 4096 or an unreadable buf. */
int debug_print(int len, const char *buf);

/* Fill *out as described above. Returns 0, or negative if out is not
 * writable for out->size bytes or out->size is < 4 or not a multiple of 4. */
int kstat(kstat_t *out);

/* Stop the machine. Under QEMU (isa-debug-exit at port 0xf4) QEMU exits
 * with ((status << 1) | 1) & 0xFF; elsewhere the machine halts. */
void poweroff(int status) __attribute__((__noreturn__));

#endif /* _FABLE_H */
