/*
 * fpu.h: lazy x87 state switching. A thread's FPU registers stay in the
 * FPU until another thread uses the FPU: switching threads only sets
 * CR0.TS, and the first FPU instruction after that traps (#NM, vector 7)
 * to swap the states. Threads that never touch the FPU never pay.
 *
 * The owner of the registers is per-CPU state (struct cpu's fpu_owner),
 * and every hand-over runs with interrupts off on that CPU (fpu.c says
 * why). With more than one CPU, a thread whose state is still in one
 * CPU's registers could not run on another before that CPU saved it, so
 * it is saved when the thread is switched out (fpu_smp).
 */
#ifndef PROC_FPU_H
#define PROC_FPU_H

#include <stdbool.h>
#include "arch/x86/x86.h"
#include "proc/thread.h"

/* Lock tags (docs/sync.md): [b] boot. */
extern bool fpu_smp;	/* [b] an application processor runs */

void fpu_init(void);
/* An application processor's FPU, as fpu_init left the boot CPU's; from
 * then on a thread's state leaves the registers when it is switched out
 * (it may next run on another CPU: docs/smp.md). */
void fpu_init_ap(void);
/* Save c's FPU owner's state into its image; it no longer owns the FPU.
 * Interrupts off, CR0.TS clear (the owner ran). */
void fpu_save_owner(struct cpu *c);

/* Caller holds sched_lock (so interrupts are off); prev is switched out
 * and next is about to run on this CPU, c (mycpu()). TS is set unless
 * next owns the registers. Inline: every switch goes through it. */
static inline void fpu_switch(struct cpu *c, struct thread *prev, struct thread *next)
{
	ASSERT_HELD(&sched_lock);
	if (fpu_smp && c->fpu_owner == prev)
		fpu_save_owner(c);
	uint32_t cr0 = read_cr0();
	uint32_t want = next == c->fpu_owner ? cr0 & ~CR0_TS : cr0 | CR0_TS;
	if (want != cr0)
		write_cr0(want);
}
/* Give the new thread to a copy of the current thread's FPU state (fork,
 * thread_fork). to must not run yet. */
void fpu_copy(struct thread *to);
/* The current thread is exiting or execing: forget its FPU state. */
void fpu_forget(void);

#endif
