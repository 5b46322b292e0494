/*
 * panic.h: the end of the line. panic() prints the reason and a
 * symbolised backtrace on the serial log and the console, then stops the
 * machine (or, with `panic=poweroff` on the command line, powers it off
 * with status FABLE_EXIT_PANIC so that a test runner learns of it at once).
 * Then every other CPU is stopped by an NMI and prints its own state
 * (smp_stop_others), and the report ends with the running thread and
 * its user registers (debug_panic_context); both are upcalls (upcall.h).
 */
#ifndef LIB_PANIC_H
#define LIB_PANIC_H

#include <stdint.h>

struct trapframe;

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* An exception the kernel cannot handle: report it with every register. */
void panic_trap(struct trapframe *tf) __attribute__((noreturn));
void panic_set_poweroff(int on);
/* Print a backtrace starting at eip, walking the frame pointers from ebp. */
void backtrace_print(uint32_t eip, uint32_t ebp);
/* The same through out (kprintf-like). */
void backtrace_print_to(void (*out)(const char *fmt, ...), uint32_t eip, uint32_t ebp);

/* assert: checked in every build; names the invariant that failed. */
#define assert(e) \
	((e) ? (void)0 : panic("assertion failed: %s (%s:%d, %s)", #e, __FILE__, __LINE__, __func__))

#endif
