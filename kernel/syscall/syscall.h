/*
 * syscall.h: system-call dispatch (docs/abi/README.md §2).
 *
 * Every call has its own vector; its handler gets the caller's trapframe
 * and returns the value for %eax. One argument arrives in %esi; two or
 * more in a packet of 32-bit words at the user address in %esi, fetched
 * with syscall_args().
 */
#ifndef SYSCALL_SYSCALL_H
#define SYSCALL_SYSCALL_H

#include <stddef.h>
#include <stdint.h>
#include "arch/x86/trap.h"
/* The vector numbers are the ABI: one header, shared with user programs. */
#include <fable/syscall_int.h>

typedef int (*syscall_fn)(struct trapframe *tf);

struct syscall {
	const char *name;
	syscall_fn fn;
};

/* The table, indexed by vector - SYSCALL_FIRST; NULL fn: not a call. */
#define SYSCALL_FIRST 0x40
#define SYSCALL_LAST SYSCALL_RESERVED_END
extern const struct syscall syscall_table[SYSCALL_LAST - SYSCALL_FIRST + 1];

void syscall_init(void);
/* Copy n packet words from the user address in %esi; 0 or -EFAULT. */
int syscall_args(const struct trapframe *tf, uint32_t *args, int n);
uint32_t syscall_count(void);
/* print and debug_print: copy the {len, buf} packet's bytes (at most
 * SYSCALL_IO_CAP) into the kernel, on its stack or in a static buffer,
 * and hand them to out in one call. Allocates nothing, so it cannot fail
 * for memory. */
#define SYSCALL_IO_CAP 4096
int syscall_output(const struct trapframe *tf, void (*out)(const char *buf, size_t len));

/* Handlers, one file per group (sys_*.c). */
int sys_fork(struct trapframe *tf);
int sys_exec(struct trapframe *tf);
int sys_wait(struct trapframe *tf);
int sys_yield(struct trapframe *tf);
int sys_deschedule(struct trapframe *tf);
int sys_make_runnable(struct trapframe *tf);
int sys_gettid(struct trapframe *tf);
int sys_new_pages(struct trapframe *tf);
int sys_remove_pages(struct trapframe *tf);
int sys_sleep(struct trapframe *tf);
int sys_getchar(struct trapframe *tf);
int sys_readline(struct trapframe *tf);
int sys_print(struct trapframe *tf);
int sys_set_term_color(struct trapframe *tf);
int sys_set_cursor_pos(struct trapframe *tf);
int sys_get_cursor_pos(struct trapframe *tf);
int sys_thread_fork(struct trapframe *tf);
int sys_get_ticks(struct trapframe *tf);
int sys_misbehave(struct trapframe *tf);
int sys_halt(struct trapframe *tf);
int sys_task_vanish(struct trapframe *tf);
int sys_set_status(struct trapframe *tf);
int sys_vanish(struct trapframe *tf);
int sys_readfile(struct trapframe *tf);
int sys_swexn(struct trapframe *tf);
int sys_debug_print(struct trapframe *tf);
int sys_kstat(struct trapframe *tf);
int sys_poweroff(struct trapframe *tf);
int sys_tasklist(struct trapframe *tf);
int sys_devices(struct trapframe *tf);
int sys_trace(struct trapframe *tf);
int sys_net(struct trapframe *tf);
/* Enter system calls through the traced entry iff the trace records
 * them (debug/trace.h); after each change of the mask. */
void syscall_trace_sync(void);
int sys_fs(struct trapframe *tf);
int sys_reserved(struct trapframe *tf);

#endif
