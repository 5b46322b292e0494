/*
 * nopreempt.h: keep the timer from taking the CPU from a thread while it
 * holds a lock that every printing thread needs (the console's, the
 * serial writers'). Interrupts stay on; the thread may still sleep of its
 * own accord (waiting for the serial line), and then others run.
 *
 * Why: a thread preempted while it held such a mutex would make every
 * other printer block on it at its next print, and with the mutex's FIFO
 * hand-off the printers would go on taking turns one print at a time,
 * each losing the rest of its slice (a lock convoy; docs/sync.md). So
 * sched_tick leaves a thread with nopreempt set running; the thread
 * gives up the CPU when it lets go of the lock, if its slice ran out
 * meanwhile. Nested holds count.
 */
#ifndef PROC_NOPREEMPT_H
#define PROC_NOPREEMPT_H

#include "proc/sched.h"
#include "proc/thread.h"

static inline void nopreempt_begin(void)
{
	struct thread *t = curthread();
	if (t)
		t->nopreempt++;
}

static inline void nopreempt_end(void)
{
	struct thread *t = curthread();
	if (t && --t->nopreempt == 0 && t->slice <= 0)
		sched_preempt_point();
}

#endif
