/*
 * panic.c: reports of fatal kernel errors (see panic.h).
 */
#include <stdarg.h>
#include "lib/panic.h"
#include "lib/kprintf.h"
#include "lib/ksyms.h"
#include "lib/format.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "upcall.h"

#define MAX_FRAMES 16

/* Lock tags (docs/sync.md): [a] atomic, [b] boot. */
static int poweroff_on_panic;	/* [b] */
static int panicking;		/* [a] a panic inside the report stops at once */

void panic_set_poweroff(int on)
{
	poweroff_on_panic = on;
}

/* Both the console and the serial log (the console mirrors to serial). */
static void both(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof buf ? n : (int)sizeof buf - 1);
}

static void frame(int i, uint32_t eip)
{
	uint32_t off;
	const char *name = ksym_lookup(eip, &off);
	if (name)
		both("  #%d %08x %s+0x%x\n", i, eip, name, off);
	else
		both("  #%d %08x ?\n", i, eip);
}

/* Frame pointers: each frame holds [ebp] = caller's ebp, [ebp+4] = return
 * address. The chain ends at 0 (entry.S) or at anything implausible. */
void backtrace_print(uint32_t eip, uint32_t ebp)
{
	both(" backtrace:\n");
	frame(0, eip);
	for (int i = 1; i < MAX_FRAMES && ebp >= 0x1000 && ebp < 0x01000000 && !(ebp & 3); i++) {
		uint32_t ret = ((uint32_t *)ebp)[1];
		if (ret == 0)
			break;
		frame(i, ret - 1);	/* -1: inside the call, not after it */
		ebp = ((uint32_t *)ebp)[0];
	}
}

static void __attribute__((noreturn)) stop(void)
{
	if (__atomic_load_n(&panicking, __ATOMIC_SEQ_CST) == 1)
		debug_panic_context(both);
	if (poweroff_on_panic)
		machine_poweroff(FABLE_EXIT_PANIC);
	machine_halt();
}

void panic(const char *fmt, ...)
{
	cli();
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST))
		stop();
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
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST))
		stop();
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
