/*
 * trap.h: the saved state of an interrupted context and trap dispatch.
 *
 * Every interrupt, exception and system call enters through vectors.S,
 * which builds a struct trapframe on the kernel stack. Its layout is
 * exactly the ABI's ureg_t (<fable/ureg.h>, docs/abi/swexn.md §1), field
 * by field (the assertions below), so delivering an exception to a user
 * handler is a copy, not a translation.
 */
#ifndef ARCH_X86_TRAP_H
#define ARCH_X86_TRAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "arch/x86/madt.h"
#include "arch/x86/x86.h"
#include <fable/ureg.h>

struct trapframe {
	uint32_t cause;		/* IDT vector */
	uint32_t cr2;		/* faulting address for #PF, else 0 */
	uint32_t ds, es, fs, gs;	/* low 16 bits valid */
	uint32_t edi, esi, ebp, zero, ebx, edx, ecx, eax;	/* pusha */
	uint32_t err;		/* hardware error code, or 0 */
	uint32_t eip, cs, eflags;	/* pushed by the CPU */
	uint32_t esp, ss;	/* pushed by the CPU only from ring 3 */
};

/* The trapframe is a ureg_t: the same fields at the same offsets. */
#define TF_AS_UREG(tf_field, ureg_field)						\
	_Static_assert(offsetof(struct trapframe, tf_field) == offsetof(ureg_t, ureg_field) &&	\
		       sizeof(((struct trapframe *)0)->tf_field) == sizeof(((ureg_t *)0)->ureg_field), \
		       "trapframe." #tf_field " is ureg_t." #ureg_field)
TF_AS_UREG(cause, cause); TF_AS_UREG(cr2, cr2);
TF_AS_UREG(ds, ds); TF_AS_UREG(es, es); TF_AS_UREG(fs, fs); TF_AS_UREG(gs, gs);
TF_AS_UREG(edi, edi); TF_AS_UREG(esi, esi); TF_AS_UREG(ebp, ebp); TF_AS_UREG(zero, zero);
TF_AS_UREG(ebx, ebx); TF_AS_UREG(edx, edx); TF_AS_UREG(ecx, ecx); TF_AS_UREG(eax, eax);
TF_AS_UREG(err, error_code); TF_AS_UREG(eip, eip); TF_AS_UREG(cs, cs);
TF_AS_UREG(eflags, eflags); TF_AS_UREG(esp, esp); TF_AS_UREG(ss, ss);
_Static_assert(sizeof(struct trapframe) == sizeof(ureg_t), "trapframe is a ureg_t");

/* Vectors (docs/abi/README.md §7.4). */
#define T_DIVIDE   0x00
#define T_DEBUG    0x01
#define T_NMI      0x02
#define T_BRKPT    0x03
#define T_OFLOW    0x04
#define T_BOUND    0x05
#define T_ILLOP    0x06
#define T_DEVICE   0x07
#define T_DBLFLT   0x08
#define T_TSS      0x0A
#define T_SEGNP    0x0B
#define T_STACK    0x0C
#define T_GPFLT    0x0D
#define T_PGFLT    0x0E
#define T_FPERR    0x10
#define T_ALIGN    0x11
#define T_MCHK     0x12
#define T_SIMDERR  0x13
#define T_IRQ0     0x20	/* ISA IRQ n arrives at T_IRQ0 + n */
#define NIRQ       16
#define T_LOCAL    0xE0	/* from here up: the local APIC's own (lapic.h) */
#define T_LAPIC_SPURIOUS 0xFF	/* the local APIC's spurious interrupt */

/* A swexn handler's cause is the vector of the exception. */
_Static_assert(SWEXN_CAUSE_DIVIDE == T_DIVIDE && SWEXN_CAUSE_DEBUG == T_DEBUG &&
	       SWEXN_CAUSE_BREAKPOINT == T_BRKPT && SWEXN_CAUSE_OVERFLOW == T_OFLOW &&
	       SWEXN_CAUSE_BOUNDCHECK == T_BOUND && SWEXN_CAUSE_OPCODE == T_ILLOP &&
	       SWEXN_CAUSE_NOFPU == T_DEVICE && SWEXN_CAUSE_SEGFAULT == T_SEGNP &&
	       SWEXN_CAUSE_STACKFAULT == T_STACK && SWEXN_CAUSE_PROTFAULT == T_GPFLT &&
	       SWEXN_CAUSE_PAGEFAULT == T_PGFLT && SWEXN_CAUSE_FPUFAULT == T_FPERR &&
	       SWEXN_CAUSE_ALIGNFAULT == T_ALIGN && SWEXN_CAUSE_SIMDFAULT == T_SIMDERR,
	       "swexn causes are exception vectors");

typedef void (*trap_handler_t)(struct trapframe *tf);

void idt_init(void);
/* An application processor: the IDT idt_init built, in its IDTR. */
void idt_load(void);
/* Install handler for vector; user says whether ring 3 may `int` it. */
void trap_set(int vector, trap_handler_t handler, bool user);
/* Install handler for exception vector (< 32), to run with interrupts
 * off: for a short handler that never sleeps and must not be preempted
 * (the FPU hand-over, proc/fpu.c). */
void trap_set_atomic(int vector, trap_handler_t handler);
/* Replace the handler of a vector that has one, while traps arrive: a
 * trap sees the old handler or the new one (the trace's system calls,
 * syscall/syscall.c). */
void trap_replace(int vector, trap_handler_t handler);
void irq_set(int irq, trap_handler_t handler);
/* From now on the ISA IRQs come through the I/O APIC, each at
 * T_IRQ0 + irq, to the CPU with local APIC id apic_id, wired as
 * routes[irq] says; the 8259s are masked for good and the local APIC
 * enabled. Lines that already have a handler are routed at once, the
 * others by irq_set. Precondition: boot, interrupts off; ioapic_init
 * and lapic_init succeeded. */
void irq_use_ioapic(const struct isa_irq routes[ISA_IRQS], unsigned apic_id);
void trap(struct trapframe *tf);
const char *trap_name(uint32_t vector);
void trapframe_print(const struct trapframe *tf, void (*out)(const char *fmt, ...));

/*
 * A trap from virtual-8086 mode: EFLAGS.VM in the frame. Fable never
 * enters that mode, but QEMU lets ring 3 in with an iret
 * (docs/lie-ring0.md). Its cs and ss are paragraph numbers, not
 * selectors; the CPU pushes es, ds, fs and gs above ss (struct
 * vm86_segs), so the frame sits 16 bytes lower on the kernel stack than
 * thread->tf, and it loads null into those four registers, so the
 * frame's own ds..gs hold nulls.
 */
struct vm86_segs {
	uint32_t es, ds, fs, gs;
};

static inline bool tf_vm86(const struct trapframe *tf)
{
	return tf->eflags & EFLAGS_VM;
}

/* The segment registers of the interrupted vm86 code.
 * Precondition: tf_vm86(tf), and tf is the frame the CPU pushed. */
static inline const struct vm86_segs *tf_vm86_segs(const struct trapframe *tf)
{
	return (const struct vm86_segs *)(tf + 1);
}

/* Did tf interrupt user code: ring 3, or virtual-8086 mode (which runs
 * at CPL 3 whatever the low bits of its cs)? */
static inline bool tf_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3 || tf_vm86(tf);
}

/*
 * The frame of the last entry from user mode into a kernel stack whose
 * user frame belongs at slot (thread->tf): slot itself, or the vm86
 * frame 16 bytes below it. Every frame vectors.S builds holds in its
 * zero word (pushal's %esp) the address of its own err word; below a
 * frame at slot, that word is slot's gs, a selector, never an address.
 */
static inline const struct trapframe *tf_user_frame(const struct trapframe *slot)
{
	const struct trapframe *v = (const struct trapframe *)
		((const char *)slot - sizeof(struct vm86_segs));
	return v->zero == (uint32_t)&v->err && tf_vm86(v) ? v : slot;
}

#endif
