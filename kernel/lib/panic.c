/*
 * panic.c: reports of fatal kernel errors (see panic.h).
 */
#include <stdarg.h>
#include "lib/panic.h"
#include "lib/kprintf.h"
#include "lib/ksyms.h"
#include "lib/format.h"
#include "arch/x86/gdt.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "upcall.h"

#define MAX_FRAMES 16

/* Lock tags (docs/sync.md): [a] atomic, [b] boot. */
static int poweroff_on_panic;	/* [b] */
static int panicking;		/* [a] panics so far, on any CPU */
static unsigned panic_cpu = ~0u;	/* [a] the CPU that reports (set once) */

void panic_set_poweroff(int on)
{
	poweroff_on_panic = on;
}

/* fmt formatted, at most 255 bytes, to out. */
static void format_to(void (*out)(const char *, size_t), const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	out(buf, n < (int)sizeof buf ? n : (int)sizeof buf - 1);
}

/* Both the console and the serial log (the console mirrors to serial). */
static void both(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	format_to(console_write, fmt, ap);
	va_end(ap);
}

/* The serial log alone: what would push the panic's own report off the
 * screen (the other CPUs' reports). */
static void serial_only(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	format_to(serial_write, fmt, ap);
	va_end(ap);
}

static void frame(void (*out)(const char *fmt, ...), int i, uint32_t eip)
{
	uint32_t off;
	const char *name = ksym_lookup(eip, &off);
	if (name)
		out("  #%d %08x %s+0x%x\n", i, eip, name, off);
	else
		out("  #%d %08x ?\n", i, eip);
}

/* Frame pointers: each frame holds [ebp] = caller's ebp, [ebp+4] = return
 * address. The chain ends at 0 (entry.S) or at anything implausible. */
void backtrace_print_to(void (*out)(const char *fmt, ...), uint32_t eip, uint32_t ebp)
{
	out(" backtrace:\n");
	frame(out, 0, eip);
	for (int i = 1; i < MAX_FRAMES && ebp >= 0x1000 && ebp < 0x01000000 && !(ebp & 3); i++) {
		uint32_t ret = ((uint32_t *)ebp)[1];
		if (ret == 0)
			break;
		frame(out, i, ret - 1);	/* -1: inside the call, not after it */
		ebp = ((uint32_t *)ebp)[0];
	}
}

void backtrace_print(uint32_t eip, uint32_t ebp)
{
	backtrace_print_to(both, eip, ebp);
}

static void __attribute__((noreturn)) end(void)
{
	if (poweroff_on_panic)
		machine_poweroff(FABLE_EXIT_PANIC);
	machine_halt();
}

/*
 * The first panic on the machine reports; returns only to that one. A
 * panic inside its report (same CPU) ends the machine at once. A panic
 * on another CPU meanwhile waits, halted with interrupts off, for the
 * reporting CPU's NMI (smp_stop_others), whose handler prints its
 * state: its own report would only interleave with the first.
 * Precondition: interrupts off.
 */
static void panic_begin(void)
{
	unsigned self = cpu_index();

	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST) == 0) {
		__atomic_store_n(&panic_cpu, self, __ATOMIC_SEQ_CST);
		return;
	}
	if (__atomic_load_n(&panic_cpu, __ATOMIC_SEQ_CST) == self)
		end();
	for (;;)
		hlt();
}

/* The end of the first report: every other CPU reports and stops, then
 * this one says which thread it ran. */
static void __attribute__((noreturn)) stop(void)
{
	/* Their reports go to serial: at four CPUs they would push this
	 * one off the screen, which gets one line for them all. */
	unsigned n = smp_stop_others(serial_only);
	if (n)
		both(" %u other cpu(s) stopped; their state is in the serial log\n", n);
	debug_panic_context(both);
	end();
}

void panic(const char *fmt, ...)
{
	cli();
	panic_begin();
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	console_panic();
	both("\nPANIC: %s\n", buf);
	backtrace_print((uint32_t)__builtin_return_address(0), read_ebp() ? *(uint32_t *)read_ebp() : 0);
	stop();
}

void panic_trap(struct trapframe *tf)
{
	cli();
	panic_begin();
	console_panic();
	both("\nPANIC: kernel exception %u (%s) at eip %08x", tf->cause,
	     trap_name(tf->cause), tf->eip);
	if (tf->cause == T_PGFLT)
		both(", cr2 %08x (%s, %s)", tf->cr2, tf->err & 2 ? "write" : "read",
		     tf->err & 1 ? "protection" : "not present");
	both("\n");
	trapframe_print(tf, both);
	backtrace_print(tf->eip, tf->ebp);
	stop();
}
