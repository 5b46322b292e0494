/*
 * ktest_boot.c: in-kernel tests of the foundation: the timer and the
 * kernel's report of its own exceptions. Each fault test is expected to
 * panic; the runner checks the report (name, registers, backtrace).
 */
#include "debug/ktest.h"
#include "arch/x86/pit.h"
#include "arch/x86/x86.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "proc/proc.h"
#include "proc/sched.h"

/* The runner times the two TICK lines against its own clock. */
KTEST(ticks)
{
	uint32_t start = pit_ticks();
	kprintf("TICK %u\n", start);
	while (pit_ticks() - start < 300)
		hlt();
	kprintf("TICK %u\n", pit_ticks());
	KCHECK(pit_ticks() - start >= 300);
}

/* noinline: each fault happens two frames deep, so the report's
 * backtrace shows the faulting function and its callers by name. */
static __attribute__((noinline)) int divide(volatile int a, volatile int b)
{
	return a / b;
}

KTEST(panic_divide)
{
	kprintf("result %d\n", divide(1, 0));
}

static __attribute__((noinline)) void bad_opcode(void)
{
	__asm__ volatile("ud2");
}

KTEST(panic_opcode)
{
	bad_opcode();
}

static __attribute__((noinline)) int wild_read(volatile int *p)
{
	return *p;
}

KTEST(panic_page)
{
	kprintf("read %d\n", wild_read((int *)0xDEAD0000u));
}

static __attribute__((noinline)) void bad_segment(void)
{
	/* 0x4B is GDT index 9, past the end of the GDT: #GP(0x48). */
	__asm__ volatile("movw $0x4B, %%ax; movw %%ax, %%ds" : : : "eax");
}

KTEST(panic_gpf)
{
	bad_segment();
}

static volatile int depth_limit = 1 << 30;	/* never reached: the stack ends first */

/* Each level keeps 256 bytes live across the call, so this cannot
 * become a loop. */
static __attribute__((noinline)) int recurse(int n)
{
	volatile char buf[256];
	buf[n % 256] = (char)n;
	if (n == depth_limit)
		return 0;
	return recurse(n + 1) + buf[n % 256];
}

/* A kernel stack overflow hits the guard page; the page fault cannot be
 * delivered on that stack, and the double-fault task reports it. */
KTEST(panic_stack_overflow)
{
	kprintf("result %d\n", recurse(0));
}

/* The same overflow once this thread runs on a CPU other than the boot
 * CPU, which an idle CPU steals it to while the test's thread keeps the
 * boot CPU busy: the report, the NMIs to the others and the poweroff
 * must come from the right CPU (smp_double_fault_ap, tests/cases_smp.py). */
static void overflow_off_boot_cpu(void)
{
	for (;;) {
		uint32_t f = read_eflags();
		cli();
		unsigned cpu = cpu_index();
		if (f & EFLAGS_IF)
			sti();
		if (cpu != 0)
			break;
		sched_yield();
	}
	kprintf("result %d\n", recurse(0));
}

KTEST(panic_double_fault_ap)
{
	KCHECK(proc_kthread(overflow_off_boot_cpu) >= 0);
	for (;;)
		__asm__ volatile("pause");
}

static __attribute__((noinline)) void give_up(void)
{
	panic("ktest: giving up on purpose");
}

/* A plain panic. At -smp 4 (smp_panic_stops_all, tests/cases_smp.py)
 * every other CPU must print its own state and halt before the report
 * ends, and QEMU must still end. */
KTEST(panic_cpus)
{
	give_up();
}
