/*
 * trace.h: the kernel trace (docs/performance.md, "The trace"): a ring
 * of fixed-size events per CPU, each stamped with the TSC, the CPU, the
 * running thread and its task. Events of a class are recorded only while
 * the class is on (`trace=` on the command line, or the extension call
 * TRACE_INT, docs/abi/fable.md §9).
 *
 * Every site tests its class first with trace_on(), one load, test and
 * branch predicted not taken, and calls out of line only when it is on:
 * that is all tracing costs while it is off. Like debug.h this header
 * needs nothing of any layer, so code of every layer may record;
 * trace.c, which reads the running thread, sits on top.
 */
#ifndef DEBUG_TRACE_H
#define DEBUG_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <fable/trace.h>
#include "arch/x86/gdt.h"

/* Lock tags (docs/sync.md): [a] atomic. */
extern uint32_t trace_mask;	/* [a] TRACE_* classes on, and TRACE_DUMP */

/* Is class cls (a constant) on? The one test a site pays while tracing
 * is off: a test of the mask in memory and a jump not taken, which a C
 * atomic load would make three instructions (load, and, jump). One
 * aligned 32-bit read: as atomic as __ATOMIC_RELAXED. */
static inline bool trace_on(uint32_t cls)
{
	__asm__ goto("testl %0, %1\n\tjnz %l[on]" : : "i"(cls), "m"(trace_mask) : "cc" : on);
	return false;
on:
	return true;
}

/* This CPU's index, which picks its ring (only good while the caller
 * cannot move to another CPU: trace_record_as holds the ring's lock), and
 * how many CPUs record: fixed at boot (trace.c). */
static inline unsigned trace_cpu(void)
{
	return cpu_index();
}

unsigned trace_cpus(void);

/* Record an event of type (TREV_*) for the running thread. Takes the
 * ring's spinlock, a leaf lock: any context, any lock held. */
void trace_record(unsigned type, uint32_t a, uint32_t b, uint32_t c);
/* The same on behalf of thread tid of task (before it first runs). */
void trace_record_as(int tid, int task, unsigned type, uint32_t a, uint32_t b, uint32_t c);
/* A TREV_EXEC (or TREV_NAME) event with name's first 12 bytes. */
void trace_name(int tid, int task, unsigned type, const char *name);

/* The CPUs of mask cpus drop pages of TLB entries at va (0: pages
 * scattered over one address space; pages 0: every user entry, which is
 * what mm/vm.c's shootdown() asks of the CPUs it interrupts). */
static inline void trace_tlb_shootdown(uint32_t cpus, uint32_t va, uint32_t pages)
{
	if (trace_on(TRACE_TLB))
		trace_record(TREV_TLB, cpus, va, pages);
}

/* Set the mask (classes, TRACE_DUMP, TRACE_FIRST); the previous one. A
 * nonzero mask allocates the rings if they have none (-ENOMEM); a 0 one
 * frees them if they are empty. Unknown bits: -EINVAL. On an error
 * nothing changes. Thread context or the boot; takes no sleeping lock. */
int trace_set(uint32_t mask);
/* The same, each ring holding events events from now on (a power of two,
 * TRACE_EVENTS_MIN to TRACE_EVENTS_MAX, or -EINVAL): rings of another
 * size are replaced, their events dropped; later allocations use it. */
int trace_set_size(uint32_t mask, uint32_t events);
/* Parse the `trace=` option (docs/boot.md): class names and "all",
 * "dump", "first", and "events=N", separated by commas; unknown names
 * and bad sizes are ignored with a log line. Returns the mask; *events
 * is N, or 0 if none was given. */
uint32_t trace_parse(const char *opt, uint32_t *events);
/* Apply the `trace=` option once kernel memory is up; a failed
 * allocation is logged and leaves tracing off. */
void trace_boot(const char *opt);
/* Move up to max of the oldest events into out, ring by ring; how many. */
int trace_take(trace_event_t *out, int max);
/* Drop every event and the lost count. */
void trace_clear(void);
void trace_stat(trace_stat_t *st);
/* At poweroff (interrupts off, polled output): if TRACE_DUMP is set,
 * write every buffered event to the debug log, between "TRACE BEGIN"
 * and "TRACE END" lines (tools/trace reads them). */
void trace_dump(void);

#endif
