/*
 * upcall.h: the few calls that go up the layers.
 *
 * The kernel's layers read bottom-up (arch, lib, sync, mm, proc, dev,
 * syscall, boot: docs/boot.md), and a file includes only headers of its
 * own layer or of lower ones. Yet a trap arrives at the bottom (arch)
 * and must end in the layer that owns threads (proc); the kernel's own
 * printing and panics (lib) end on devices (dev); and a panic report
 * ends with what the kernel proper knows. These are those calls, plain
 * direct calls declared here once, so that a reader, grep and a
 * call-graph tool can follow every dispatch; no layer registers a
 * function pointer with a lower one.
 */
#ifndef UPCALL_H
#define UPCALL_H

#include <stddef.h>

struct trapframe;

/* lib/kprintf.c, lib/panic.c -> dev/serial.c: the debug log. Write len
 * bytes contiguously: no other serial output comes between (but for a
 * write that cannot sleep, see serial.c). '\n' goes out as "\r\n" and
 * '\b' as "\b \b", so that a terminal shows lines and erasures. A
 * thread may sleep here until the line drains; elsewhere (interrupts
 * off, boot, panic) the write is polled. Nothing is lost. */
void serial_write(const char *buf, size_t len);

/* lib/kprintf.c, lib/panic.c -> dev/console.c: the screen, mirrored to
 * the debug log. May sleep (for the lock, and while the serial mirror
 * drains): called by threads, or at boot before any thread runs. */
void console_write(const char *buf, size_t len);
/* lib/panic.c -> dev/console.c, for panic alone: from now on every
 * console_write draws and sends at once, white on red, polled and
 * without the locks (whoever holds them will never run again). */
void console_panic(void);

/* lib/panic.c, proc/proc.c -> dev/power.c: the machine's end. The
 * status reaches a test runner (QEMU's isa-debug-exit) as one of: */
#define FABLE_EXIT_PASS  0x10
#define FABLE_EXIT_FAIL  0x11
#define FABLE_EXIT_PANIC 0x12
void machine_poweroff(int status) __attribute__((noreturn));
void machine_halt(void) __attribute__((noreturn));
/* proc/proc.c (init's exit) -> dev/power.c: an orderly end, from a
 * thread that may sleep: the file systems are written back first
 * (files_shutdown), then machine_poweroff(status). A panic cannot sleep
 * and calls machine_poweroff itself. */
void machine_shutdown(int status) __attribute__((noreturn));

/* dev/power.c -> fs/mount.c: before an orderly end, every file system
 * written back and the disk's marked clean. Sleeps (disk transfers). */
void files_shutdown(void);

/* lib/panic.c, dev/power.c -> boot/smp.c: the other processors.
 * smp_stop_others sends every other started CPU (running threads or
 * not) an NMI, which halts it for good with interrupts off; with report non-NULL (kprintf-like: panic's printer) each first
 * prints its number, registers and backtrace through it, one CPU after
 * the other. Returns once each has stopped, or has had about a second
 * to: how many did. Precondition: interrupts off. */
unsigned smp_stop_others(void (*report)(const char *fmt, ...));

/* arch/x86/trap.c and mm/fault.c -> proc/swexn.c: an exception from
 * user mode that the kernel did not resolve itself (no handler for its
 * vector, or a page fault the address space refused). Runs the thread's
 * swexn handler, or kills the thread. */
void proc_user_fault(struct trapframe *tf);

/* arch/x86/trap.c -> proc/proc.c: an exception in virtual-8086 mode,
 * whose registers are no ureg_t: the thread dies. */
void proc_kill_fault(struct trapframe *tf) __attribute__((noreturn));

/* arch/x86/trap.c -> proc/proc.c: the one way back to user mode, run
 * last on every trap from user mode (system call, exception, interrupt);
 * the order of its steps is written there. */
void proc_user_return(struct trapframe *tf);

/* arch/x86/pit.c -> dev/serial.c: every PIT tick, in interrupt context,
 * before sched_tick (which may switch threads): IRQ4 may send its next
 * tick's share of the output ring, if it spent this one's (serial.c). */
void serial_tick(void);

/* arch/x86/pit.c -> proc/sched.c: every timer tick, in interrupt
 * context, after the tick counter moved. */
void sched_tick(struct trapframe *tf);

/* proc/proc.c -> fs/file.c: a new task's descriptor table and current
 * directory, the parent's own, shared until either task changes it, or
 * for the first task (parent NULL) the console on 0, 1 and 2 at the
 * root: 0 or -ENOMEM. And at a task's exit, after its last thread, its
 * hold on the table dropped: the last one closes every descriptor. */
struct task;
int files_fork(struct task *parent, struct task *child);
void files_exit(struct task *k);

/* fs/file.c -> net/sock.c: a socket's descriptor (docs/network.md,
 * "Sockets") read, written, and closed for the last time. The transfers
 * sleep until there are data or room, and return -EINTR if the thread is
 * being killed; sock_close may sleep (on the network thread), never long. */
struct sock;
struct uio;
int sock_read(struct sock *s, struct uio *u);
int sock_write(struct sock *s, struct uio *u);
void sock_close(struct sock *s);

/* lib/panic.c -> debug/debug.c: the end of every panic report, through
 * out (kprintf-like): the running thread and its last entry from user
 * mode. */
void debug_panic_context(void (*out)(const char *fmt, ...));

#endif
