/*
 * trap.c: where every interrupt, exception and system call lands.
 *
 * Dispatch is a table indexed by vector. Hardware interrupts are
 * acknowledged here, once, before their handler: at the 8259s, or at
 * the local APIC once the I/O APIC delivers them (irq_use_ioapic). A
 * CPU exception in kernel mode with no handler is a kernel bug: panic
 * with the full report. User-mode exceptions are handed to the process layer, and
 * every trap from user mode ends in its proc_user_return(), the one way
 * back to ring 3: both are upcalls (upcall.h).
 */
#include <stddef.h>
#include "arch/x86/trap.h"
#include "arch/x86/ioapic.h"
#include "arch/x86/lapic.h"
#include "arch/x86/pic.h"
#include "arch/x86/seg.h"
#include "arch/x86/x86.h"
#include "lib/panic.h"
#include "debug/trace.h"
#include "upcall.h"

void idt_set_user(int vec);

static void unclaimed(struct trapframe *tf);
static void irq_unclaimed(struct trapframe *tf);
static void lapic_spurious(struct trapframe *tf);

/* Every entry holds a function, so that no path tests for NULL; the
 * unclaimed ones say what an unexpected trap means (below).
 * Lock tags (docs/sync.md): [a] atomic, [b] boot. */
static trap_handler_t handlers[256] = {	/* [b], and [a] for trap_replace */
	[0 ... T_IRQ0 - 1] = unclaimed,
	[T_IRQ0 ... T_IRQ0 + NIRQ - 1] = irq_unclaimed,
	[T_IRQ0 + NIRQ ... T_LAPIC_SPURIOUS - 1] = unclaimed,
	/* whoever enables a local APIC: the I/O APIC's, or SMP's */
	[T_LAPIC_SPURIOUS] = lapic_spurious,
};
static bool atomic[256];		/* [b] exception handler keeps interrupts off */
/* Where the ISA IRQs come from: the 8259s (use_ioapic false), or the
 * I/O APIC, each wired as isa[irq] says, to the CPU isa_cpu. */
static bool use_ioapic;			/* [b] */
static struct isa_irq isa[ISA_IRQS];	/* [b] */
static unsigned isa_cpu;		/* [b] its local APIC id */

static const char *const names[32] = {
	"Divide error", "Debug", "NMI", "Breakpoint", "Overflow",
	"BOUND range exceeded", "Invalid opcode", "Device not available",
	"Double fault", "Coprocessor segment overrun", "Invalid TSS",
	"Segment not present", "Stack-segment fault",
	"General protection fault", "Page fault", "Reserved",
	"x87 floating-point error", "Alignment check", "Machine check",
	"SIMD floating-point error",
};

/* Human name of a vector, for reports. */
const char *trap_name(uint32_t vector)
{
	if (vector < 32)
		return names[vector] ? names[vector] : "Reserved exception";
	if (vector >= T_IRQ0 && vector < T_IRQ0 + NIRQ)
		return "Hardware interrupt";
	return "Software interrupt";
}

void trap_set(int vector, trap_handler_t handler, bool user)
{
	handlers[vector] = handler;
	if (user)
		idt_set_user(vector);
}

void trap_set_atomic(int vector, trap_handler_t handler)
{
	/* Only exceptions need it: an IRQ's handler runs with interrupts
	 * off anyway, a system call's gate leaves them on. */
	assert(vector < 32);
	handlers[vector] = handler;
	atomic[vector] = true;
}

void trap_replace(int vector, trap_handler_t handler)
{
	__atomic_store_n(&handlers[vector], handler, __ATOMIC_RELAXED);
}

/* ISA IRQ irq at vector T_IRQ0 + irq, through the I/O APIC. */
static void isa_route(int irq)
{
	const struct isa_irq *r = &isa[irq];

	if (!ioapic_route(r->gsi, T_IRQ0 + irq, isa_cpu, inti_level(r->flags),
			  inti_active_low(r->flags)))
		panic("irq %d: the I/O APIC has no input %u", irq, (unsigned)r->gsi);
}

void irq_set(int irq, trap_handler_t handler)
{
	handlers[T_IRQ0 + irq] = handler;
	if (use_ioapic)
		isa_route(irq);
	else
		pic_unmask(irq);
}

/* The local APIC's spurious interrupt: a request that went away before
 * the CPU took it. It is in service nowhere, so it gets no EOI. */
static void lapic_spurious(struct trapframe *tf)
{
	(void)tf;
}

void irq_use_ioapic(const struct isa_irq routes[ISA_IRQS], unsigned apic_id)
{
	for (int i = 0; i < ISA_IRQS; i++)
		isa[i] = routes[i];
	isa_cpu = apic_id;
	pic_disable();
	lapic_enable(T_LAPIC_SPURIOUS);
	lapic_mask_pic();
	use_ioapic = true;
	for (int i = 0; i < NIRQ; i++)
		if (handlers[T_IRQ0 + i] != irq_unclaimed)
			isa_route(i);
}

/* Print every register of tf through out (kprintf-like). */
void trapframe_print(const struct trapframe *tf, void (*out)(const char *fmt, ...))
{
	out("  eax=%08x ebx=%08x ecx=%08x edx=%08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
	/* A trap from ring 0 pushes no esp: it was where the frame ends. The
	 * double-fault task (gdt.c) fills esp in from the saved TSS. */
	bool has_esp = tf_from_user(tf) || tf->cause == T_DBLFLT;
	out("  esi=%08x edi=%08x ebp=%08x esp=%08x\n", tf->esi, tf->edi, tf->ebp,
	    has_esp ? tf->esp : (uint32_t)&tf->esp);
	/* vm86 code's data segments are above the frame (trap.h); the
	 * double-fault task copied the real ones from the TSS. */
	struct vm86_segs seg = { tf->es, tf->ds, tf->fs, tf->gs };
	if (tf_vm86(tf) && tf->cause != T_DBLFLT)
		seg = *tf_vm86_segs(tf);
	out("  eip=%08x eflags=%08x cs=%04x ds=%04x es=%04x fs=%04x gs=%04x ss=%04x\n",
	    tf->eip, tf->eflags, tf->cs & 0xFFFF, seg.ds & 0xFFFF, seg.es & 0xFFFF,
	    seg.fs & 0xFFFF, seg.gs & 0xFFFF, tf_from_user(tf) ? tf->ss & 0xFFFF : 0x18);
	out("  err=%08x cr2=%08x cr3=%08x\n", tf->err, tf->cr2, read_cr3());
}

/* An exception or `int` nobody handles: from user mode the program's
 * fault (only a DPL-3 gate lets it `int`, and trap_set gives those a
 * handler, so that is an exception); in the kernel a bug. */
static void unclaimed(struct trapframe *tf)
{
	if (tf_from_user(tf))
		proc_user_fault(tf);
	else
		panic_trap(tf);
}

/* An IRQ line without a handler is masked at the PIC or the I/O APIC;
 * one that comes anyway (raised before the mask) has nothing to do. */
static void irq_unclaimed(struct trapframe *tf)
{
	(void)tf;
}

static void irq(struct trapframe *tf)
{
	int n = tf->cause - T_IRQ0;
	/* Acknowledge first: the handler may switch threads and not come
	 * back here for a long time (the timer's does). The local APIC
	 * sends a level-triggered line's EOI on to the I/O APIC. */
	if (use_ioapic) {
		lapic_eoi();
	} else {
		if (pic_spurious(n))
			return;
		pic_eoi(n);
	}
	if (trace_on(TRACE_IRQ))
		trace_record(TREV_IRQ, tf->cause, tf->eip, 0);
	handlers[tf->cause](tf);
}

/*
 * An exception (or an `int`) in virtual-8086 mode. Nothing there can be
 * resolved or handed to a swexn handler - its registers are not a
 * ureg_t - so the thread dies, as for an unhandled user fault. Its
 * interrupt flag is whatever the program's iret chose; the kill path
 * takes sleeping locks, so turn interrupts on as for any user trap.
 */
static void vm86_exception(struct trapframe *tf)
{
	sti();
	proc_kill_fault(tf);
}

/* Every trap but a software interrupt outside vm86 mode: hardware
 * interrupts (served like any other in vm86 mode, and returning to it),
 * exceptions, and whatever vm86 code raises. */
static void dispatch(struct trapframe *tf)
{
	uint32_t v = tf->cause;
	if (v >= T_IRQ0 && v < T_IRQ0 + NIRQ) {
		irq(tf);
		return;
	}
	/* A local APIC's timer tick or IPI (only hardware raises them: no
	 * gate up there admits ring 3), served in vm86 mode as elsewhere. */
	if (v >= T_LOCAL) {
		handlers[v](tf);
		return;
	}
	if (tf_vm86(tf)) {
		vm86_exception(tf);
		return;
	}
	/* Exceptions arrive through interrupt gates only so that %cr2 is
	 * saved before anything else can fault; the handler itself may
	 * sleep (a page fault on user memory takes the vm lock), so give
	 * back the interrupt state of the interrupted code. A handler
	 * installed with trap_set_atomic must not be preempted: it runs,
	 * like an IRQ's, with interrupts off until the iret. */
	if (v < 32 && (tf->eflags & EFLAGS_IF) && !atomic[v])
		sti();
	handlers[v](tf);
}

/* Entry from vectors.S with a complete trapframe on the kernel stack.
 * A software interrupt - a system call, through its trap gate with
 * interrupts on - is the common case and goes straight to its handler;
 * everything else goes through dispatch(). Whatever the vector, a trap
 * from user mode leaves through proc_user_return() (proc/proc.c), and
 * from there vectors.S's trap_return restores the registers and irets. */
void trap(struct trapframe *tf)
{
#ifdef FABLE_DEBUG
	/* vectors.S loaded the user data selector unless the interrupted
	 * code had it: never a null, read-only or other-RPL selector of the
	 * user's, which QEMU would let the kernel use (docs/interrupts.md). */
	assert(read_ds() == SEL_UDATA && read_es() == SEL_UDATA);
#endif
	if (__builtin_expect(tf->cause >= T_IRQ0 + NIRQ && !tf_vm86(tf), 1))
		handlers[tf->cause](tf);
	else
		dispatch(tf);
	if (tf_from_user(tf))
		proc_user_return(tf);
}
