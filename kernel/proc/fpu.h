/*
 * fpu.h: lazy x87 state switching. A thread's FPU registers stay in the
 * FPU until another thread uses the FPU: switching threads only sets
 * CR0.TS, and the first FPU instruction after that traps (#NM, vector 7)
 * to swap the states. Threads that never touch the FPU never pay.
 *
 * The owner of the registers is per-CPU state (struct cpu's fpu_owner),
 * and every hand-over runs with interrupts off on that CPU (fpu.c says
 * why). With more than one CPU, a thread whose state is still in one
 * CPU's registers could not run on another before that CPU saved it.
 */
#ifndef PROC_FPU_H
#define PROC_FPU_H

struct cpu;
struct thread;

void fpu_init(void);
/* An application processor's FPU, as fpu_init left the boot CPU's; from
 * then on a thread's state leaves the registers when it is switched out
 * (it may next run on another CPU: docs/smp.md). */
void fpu_init_ap(void);
/* Caller holds sched_lock (so interrupts are off); prev is switched out
 * and next is about to run on this CPU, c (mycpu()). */
void fpu_switch(struct cpu *c, struct thread *prev, struct thread *next);
/* Give the new thread to a copy of the current thread's FPU state (fork,
 * thread_fork). to must not run yet. */
void fpu_copy(struct thread *to);
/* The current thread is exiting or execing: forget its FPU state. */
void fpu_forget(void);

#endif
