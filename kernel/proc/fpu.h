/*
 * fpu.h: lazy x87 state switching. A thread's FPU registers stay in the
 * FPU until another thread uses the FPU: switching threads only sets
 * CR0.TS, and the first FPU instruction after that traps (#NM, vector 7)
 * to swap the states. Threads that never touch the FPU never pay.
 */
#ifndef PROC_FPU_H
#define PROC_FPU_H

struct thread;

void fpu_init(void);
/* Caller holds sched_lock; next is about to run. */
void fpu_switch(struct thread *next);
/* Copy from's FPU state to the new thread to (fork, thread_fork). */
void fpu_copy(struct thread *to, struct thread *from);
/* t is exiting or execing: forget its state. */
void fpu_forget(struct thread *t);

#endif
