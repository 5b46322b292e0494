/*
 * syscall.c: the system-call table and dispatcher (see syscall.h).
 * docs/syscalls.md is checked against this table by a test.
 */
#include "syscall/syscall.h"
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "sync/mutex.h"
#include "debug/trace.h"

#define CALL(vec, n) [(vec) - SYSCALL_FIRST] = { #n, sys_##n }

const struct syscall syscall_table[SYSCALL_LAST - SYSCALL_FIRST + 1] = {
	CALL(FORK_INT, fork),
	CALL(EXEC_INT, exec),
	CALL(WAIT_INT, wait),
	CALL(YIELD_INT, yield),
	CALL(DESCHEDULE_INT, deschedule),
	CALL(MAKE_RUNNABLE_INT, make_runnable),
	CALL(GETTID_INT, gettid),
	CALL(NEW_PAGES_INT, new_pages),
	CALL(REMOVE_PAGES_INT, remove_pages),
	CALL(SLEEP_INT, sleep),
	CALL(GETCHAR_INT, getchar),
	CALL(READLINE_INT, readline),
	CALL(PRINT_INT, print),
	CALL(SET_TERM_COLOR_INT, set_term_color),
	CALL(SET_CURSOR_POS_INT, set_cursor_pos),
	CALL(GET_CURSOR_POS_INT, get_cursor_pos),
	CALL(THREAD_FORK_INT, thread_fork),
	CALL(GET_TICKS_INT, get_ticks),
	CALL(MISBEHAVE_INT, misbehave),
	CALL(HALT_INT, halt),
	CALL(TASK_VANISH_INT, task_vanish),
	CALL(SET_STATUS_INT, set_status),
	CALL(VANISH_INT, vanish),
	CALL(READFILE_INT, readfile),
	CALL(SWEXN_INT, swexn),
	CALL(DEBUG_PRINT_INT, debug_print),
	CALL(KSTAT_INT, kstat),
	CALL(POWEROFF_INT, poweroff),
	CALL(TASKLIST_INT, tasklist),
	CALL(DEVICES_INT, devices),
	CALL(TRACE_INT, trace),
	CALL(NET_INT, net),
	CALL(FS_INT, fs),
};

/* Lock tags (docs/sync.md): [a] atomic, [m] output_lock. */
static volatile uint32_t nr_syscalls;	/* [a] statistics only */

uint32_t syscall_count(void)
{
	return nr_syscalls;
}

int syscall_args(const struct trapframe *tf, uint32_t *args, int n)
{
	return copy_from_user(args, tf->esi, n * sizeof(uint32_t));
}

/*
 * The bytes never go through allocated memory, so that print cannot fail
 * for want of it: a short output (printf hands over at most 128 bytes)
 * is copied onto the kernel stack, a longer one into one static buffer
 * under a mutex held across the copy (a fault in it may sleep) and the
 * output. Either way out gets all the bytes in one call, which keeps each
 * call's output together. The mutex nests outside the address-space lock
 * that the copy's faults take; short outputs never wait for it.
 */
#define OUTPUT_SHORT 256	/* bytes copied on the kernel stack */

static struct mutex output_lock = MUTEX_INIT(output_lock, "output");
static char output_buf[SYSCALL_IO_CAP];	/* [m] */

static int copy_and_out(char *buf, uint32_t ubuf, int len,
			void (*out)(const char *buf, size_t len))
{
	int err = copy_from_user(buf, ubuf, len);
	if (err < 0)
		return err;
	out(buf, len);
	return 0;
}

int syscall_output(const struct trapframe *tf, void (*out)(const char *buf, size_t len))
{
	uint32_t a[2];
	if (syscall_args(tf, a, 2) < 0)
		return -EFAULT;
	int len = (int)a[0];
	if (len < 0 || len > SYSCALL_IO_CAP)
		return -EINVAL;
	if (len == 0)
		return 0;	/* no byte to read: any buf will do */
	if (len <= OUTPUT_SHORT) {
		char buf[OUTPUT_SHORT];
		return copy_and_out(buf, a[1], len, out);
	}
	mutex_lock(&output_lock);
	int err = copy_and_out(output_buf, a[1], len, out);
	mutex_unlock(&output_lock);
	return err;
}

/* Reserved Fable vectors without a call: present, but not yet anything. */
int sys_reserved(struct trapframe *tf)
{
	(void)tf;
	return -ENOSYS;
}

/* Entry for every system-call vector that has a call (a trap gate:
 * interrupts stay on). The way back to user mode is trap()'s, as for
 * every trap: proc_user_return (proc/proc.c). */
static void syscall(struct trapframe *tf)
{
	const struct syscall *s = &syscall_table[tf->cause - SYSCALL_FIRST];
	__atomic_add_fetch(&nr_syscalls, 1, __ATOMIC_RELAXED);
	tf->eax = s->fn(tf);
}

/* The entry instead of syscall() while the trace records system calls:
 * the call between its entry and its exit events. A call that does not
 * return here (vanish) leaves no exit. The class may have gone off just
 * before the handler was swapped back: no events then. */
static void syscall_traced(struct trapframe *tf)
{
	if (!trace_on(TRACE_SYSCALL)) {
		syscall(tf);
		return;
	}
	trace_record(TREV_SYSCALL, tf->cause, tf->esi, 0);
	syscall(tf);
	trace_record(TREV_SYSRET, tf->cause, tf->eax, 0);
}

/*
 * The hottest trace site costs nothing while it is off: instead of a
 * test on every call, the gates' handler is syscall() or
 * syscall_traced(), swapped when the class is turned on or off (at boot
 * and by the trace call, sys_fable.c). A call already under way when it
 * is swapped keeps the entry it came in by.
 */
void syscall_trace_sync(void)
{
	trap_handler_t h = trace_on(TRACE_SYSCALL) ? syscall_traced : syscall;
	for (int v = SYSCALL_FIRST; v <= SYSCALL_LAST; v++)
		if (syscall_table[v - SYSCALL_FIRST].fn)
			trap_replace(v, h);
}

/* Entry for a reserved vector without a call: the same, with no table
 * entry to look at, so that syscall() need not test for one. */
static void syscall_reserved(struct trapframe *tf)
{
	__atomic_add_fetch(&nr_syscalls, 1, __ATOMIC_RELAXED);
	tf->eax = sys_reserved(tf);
}

/* Open a DPL-3 gate for every call and reserved extension vector. */
void syscall_init(void)
{
	for (int v = SYSCALL_FIRST; v <= SYSCALL_LAST; v++) {
		if (syscall_table[v - SYSCALL_FIRST].fn)
			trap_set(v, syscall, true);
		else if (v >= SYSCALL_RESERVED_START)
			trap_set(v, syscall_reserved, true);
	}
	syscall_trace_sync();	/* trace=syscall on the command line */
}
