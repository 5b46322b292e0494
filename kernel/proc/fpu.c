/*
 * fpu.c: lazy FPU state switching (see fpu.h, and docs/tasks.md for the
 * whole story).
 *
 * Three things describe the x87 state of this CPU: the registers, which
 * hold the state of mycpu()->fpu_owner (or of nobody), CR0.TS, which is clear
 * only while the owner runs (page_zero borrows it, interrupts off), and
 * each thread's fpu[] image, which is its state whenever it is not the
 * owner. Every change to any of them is made with interrupts off,
 * because a thread switch in the middle would let a thread run with the
 * three disagreeing: it would see or clobber another thread's registers,
 * or its state would be saved into another thread's image. No lock would
 * do instead: what is guarded is this CPU's own registers.
 *
 * Several CPUs: a thread switched out may run next on another CPU, which
 * cannot reach this one's registers. So once an application processor
 * runs (fpu_smp), the owner's state is saved into its image when it is
 * switched out; the restore stays lazy (the #NM on its first use).
 */
#include "proc/fpu.h"
#include "proc/thread.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "debug/debug.h"

#define CR0_MP 0x2
#define CR0_EM 0x4
#define CR0_NE 0x20

bool fpu_smp;
static void clts(void)
{
	__asm__ volatile("clts");
}

/*
 * #NM: the running thread touched the FPU while CR0.TS was set, so the
 * registers hold someone else's state, or nobody's. Installed with
 * trap_set_atomic, it runs with interrupts off from the trap on: a switch
 * between clts and the last line would leave TS clear and fpu_owner
 * naming the wrong thread, and the next fnsave would put one thread's
 * registers into another's image.
 */
static void device_not_available(struct trapframe *tf)
{
	(void)tf;
	assert(!(read_eflags() & EFLAGS_IF));
	struct thread *cur = curthread();
	clts();
	struct cpu *c = mycpu();
	struct thread *owner = c->fpu_owner;
	if (owner && owner != cur) {
		__asm__ volatile("fnsave %0" : "=m"(owner->fpu));
		owner->fpu_used = true;
	}
	if (cur->fpu_used)
		__asm__ volatile("frstor %0" : : "m"(cur->fpu));
	else
		__asm__ volatile("fninit");
	c->fpu_owner = cur;
	cur->fpu_used = true;
}

void fpu_init(void)
{
	write_cr0((read_cr0() & ~CR0_EM) | CR0_MP | CR0_NE | CR0_TS);
	__asm__ volatile("clts; fninit");
	write_cr0(read_cr0() | CR0_TS);
	trap_set_atomic(T_DEVICE, device_not_available);
}

void fpu_init_ap(void)
{
	fpu_smp = true;
	write_cr0((read_cr0() & ~CR0_EM) | CR0_MP | CR0_NE | CR0_TS);
	__asm__ volatile("clts; fninit");
	write_cr0(read_cr0() | CR0_TS);
}

void fpu_save_owner(struct cpu *c)
{
	struct thread *t = c->fpu_owner;
	__asm__ volatile("fnsave %0" : "=m"(t->fpu));
	t->fpu_used = true;
	c->fpu_owner = NULL;
}

void fpu_copy(struct thread *to)
{
	struct thread *cur = curthread();
	uint32_t f = read_eflags();
	cli();		/* the live state must not move (an #NM) while we copy it */
	if (cur->cpu->fpu_owner == cur) {	/* cur->cpu: this CPU, interrupts off */
		clts();		/* clear already, as cur owns the FPU */
		/* fnsave empties the registers: give cur its state back. */
		__asm__ volatile("fnsave %0; frstor %0" : "+m"(to->fpu));
	} else {
		memcpy(to->fpu, cur->fpu, sizeof to->fpu);
	}
	to->fpu_used = cur->fpu_used;
	write_eflags(f);
}

void fpu_forget(void)
{
	struct thread *cur = curthread();
	uint32_t f = read_eflags();
	cli();		/* fpu_owner and TS must change together (see the top) */
	struct cpu *c = cur->cpu;	/* this CPU: interrupts are off */
	if (c->fpu_owner == cur) {
		/* Leave nothing of cur's state in the registers: not even a
		 * pending x87 exception, which the next owner's frstor (a
		 * waiting instruction) would raise in the kernel. */
		clts();
		__asm__ volatile("fninit");
		c->fpu_owner = NULL;
	}
	cur->fpu_used = false;
	write_cr0(read_cr0() | CR0_TS);	/* its next FPU use traps and fninits */
	write_eflags(f);
}
