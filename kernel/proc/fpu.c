/*
 * fpu.c: lazy FPU state switching (see fpu.h).
 */
#include "proc/fpu.h"
#include "proc/thread.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "lib/string.h"

#define CR0_MP 0x2
#define CR0_EM 0x4
#define CR0_NE 0x20

static void clts(void)
{
	__asm__ volatile("clts");
}

/* #NM: the running thread touched the FPU while another's state is in it. */
static void device_not_available(struct trapframe *tf)
{
	(void)tf;
	struct thread *cur = curthread();
	/* Interrupts are off (interrupt gate): nothing can switch threads
	 * between reading fpu_owner and loading our state. */
	clts();
	struct thread *owner = cpu0.fpu_owner;
	if (owner && owner != cur) {
		__asm__ volatile("fnsave %0" : "=m"(owner->fpu));
		owner->fpu_used = true;
	}
	if (cur->fpu_used)
		__asm__ volatile("frstor %0" : : "m"(cur->fpu));
	else
		__asm__ volatile("fninit");
	cpu0.fpu_owner = cur;
	cur->fpu_used = true;
}

void fpu_init(void)
{
	write_cr0((read_cr0() & ~CR0_EM) | CR0_MP | CR0_NE | CR0_TS);
	__asm__ volatile("clts; fninit");
	write_cr0(read_cr0() | CR0_TS);
	trap_set(T_DEVICE, device_not_available, false);
}

void fpu_switch(struct thread *next)
{
	uint32_t cr0 = read_cr0();
	uint32_t want = next == cpu0.fpu_owner ? cr0 & ~CR0_TS : cr0 | CR0_TS;
	if (want != cr0)
		write_cr0(want);
}

/* Make from's saved image current (it may still live in the FPU). */
static void fpu_save(struct thread *from)
{
	uint32_t f = read_eflags();
	cli();		/* the FPU registers belong to fpu_owner: no switch now */
	if (cpu0.fpu_owner == from) {
		clts();
		__asm__ volatile("fnsave %0; frstor %0" : "+m"(from->fpu));
		if (curthread() != from)
			write_cr0(read_cr0() | CR0_TS);
	}
	write_eflags(f);
}

void fpu_copy(struct thread *to, struct thread *from)
{
	fpu_save(from);
	to->fpu_used = from->fpu_used;
	memcpy(to->fpu, from->fpu, sizeof to->fpu);
}

void fpu_forget(struct thread *t)
{
	uint32_t f = read_eflags();
	cli();		/* fpu_owner is per-CPU state read by the #NM handler */
	if (cpu0.fpu_owner == t)
		cpu0.fpu_owner = NULL;
	t->fpu_used = false;
	if (t == curthread())	/* its next FPU use must trap and fninit */
		write_cr0(read_cr0() | CR0_TS);
	write_eflags(f);
}
