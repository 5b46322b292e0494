/*
 * ktest_trace.c: the trace's ring (debug/trace.c). Events come out
 * oldest first with what went in; a full ring overwrites its oldest
 * event and counts it lost, or with TRACE_FIRST keeps the oldest and
 * counts the new one; the counters wrap around the ring many times
 * over; clear empties it; a class records only while it is on; the
 * option's parser knows the class names.
 */
#include "debug/ktest.h"
#include "debug/trace.h"
#include "arch/x86/x86.h"
#include "lib/errno.h"

#define MARK 0x7ACE

static trace_event_t out[64];

/* Record events a = first .. first + n - 1 of type MARK's low byte,
 * with interrupts off: on one CPU, so all in one ring, whose capacity
 * the checks count in. */
static void record(uint32_t first, uint32_t n)
{
	uint32_t f = read_eflags();
	cli();
	for (uint32_t i = 0; i < n; i++)
		trace_record_as(7, 3, MARK & 0xFF, first + i, MARK, 0);
	write_eflags(f);
}

/* Take every event; the a of the first and the last, and how many. */
static uint32_t drain(uint32_t *first, uint32_t *last)
{
	uint32_t n = 0;
	int k;
	while ((k = trace_take(out, 64)) > 0) {
		if (n == 0)
			*first = out[0].a;
		*last = out[k - 1].a;
		for (int i = 0; i < k; i++)
			KCHECK(out[i].tid == 7 && out[i].task == 3 && out[i].b == MARK &&
			       out[i].type == (MARK & 0xFF) && out[i].cpu == out[0].cpu &&
			       (i == 0 || out[i].tsc >= out[i - 1].tsc) &&
			       (i == 0 || out[i].a == out[i - 1].a + 1));
		n += k;
	}
	return n;
}

KTEST(trace_ring)
{
	trace_stat_t st;
	uint32_t first = 0, last = 0;
	/* TRACE_TLB has no site yet: it only keeps the rings allocated. */
	KCHECK(trace_set(TRACE_TLB) == 0);
	trace_clear();
	trace_stat(&st);
	uint32_t cap = st.capacity;
	KCHECK(cap >= 64 && st.buffered == 0 && st.lost == 0);

	record(0, 10);
	trace_stat(&st);
	KCHECK(st.buffered == 10 && st.lost == 0);
	KCHECK(drain(&first, &last) == 10 && first == 0 && last == 9);

	/* Past the end, many times over: the newest cap are kept. */
	record(100, 5 * cap + 3);
	trace_stat(&st);
	KCHECK(st.buffered == cap && st.lost == 4 * cap + 3);
	KCHECK(drain(&first, &last) == cap);
	KCHECK(first == 100 + 4 * cap + 3 && last == 100 + 5 * cap + 2);

	/* TRACE_FIRST: the oldest cap are kept. */
	KCHECK(trace_set(TRACE_TLB | TRACE_FIRST) == TRACE_TLB);
	record(1000, cap + 5);
	trace_stat(&st);
	KCHECK(st.buffered == cap && st.lost == 4 * cap + 3 + 5);
	KCHECK(drain(&first, &last) == cap && first == 1000 && last == 1000 + cap - 1);
	KCHECK(trace_set(TRACE_TLB) == (int)(TRACE_TLB | TRACE_FIRST));

	trace_clear();
	trace_stat(&st);
	KCHECK(st.buffered == 0 && st.lost == 0);
	record(5, 1);
	trace_clear();
	KCHECK(trace_take(out, 64) == 0);

	/* A class records only while it is on. */
	KCHECK(trace_set(TRACE_DUMP) == TRACE_TLB);
	trace_tlb_shootdown(1, 0x1000, 2);
	KCHECK(trace_take(out, 64) == 0);
	KCHECK(trace_set(TRACE_TLB) == TRACE_DUMP);
	trace_tlb_shootdown(3, 0x40000000, 2);
	KCHECK(trace_set(0) == (int)TRACE_TLB);
	KCHECK(trace_take(out, 64) == 1 && out[0].type == TREV_TLB && out[0].a == 3 &&
	       out[0].b == 0x40000000 && out[0].c == 2);

	KCHECK(trace_set(0x80000000u) == -EINVAL && trace_set(TRACE_ALL + 1) == -EINVAL);
	uint32_t events;
	KCHECK(trace_parse("sched,fault", &events) == (TRACE_SCHED | TRACE_FAULT) && events == 0);
	KCHECK(trace_parse("all,dump,first", &events) == (TRACE_ALL | TRACE_DUMP | TRACE_FIRST));
	KCHECK(trace_parse(",syscall,,nonsense,irq,", &events) == (TRACE_SYSCALL | TRACE_IRQ));
	KCHECK(trace_parse("", &events) == 0 && events == 0);
	KCHECK(trace_parse("sched,events=65536", &events) == TRACE_SCHED && events == 65536);
	KCHECK(trace_parse("events=1000,proc", &events) == TRACE_PROC && events == 0);
	KCHECK(trace_parse("events=262144", &events) == 0 && events == 0);
	KCHECK(trace_set(0) == 0);

	/* Sizes: powers of two in range, honoured; others refused. */
	KCHECK(trace_set_size(TRACE_TLB, 100) == -EINVAL);
	KCHECK(trace_set_size(TRACE_TLB, 2 * TRACE_EVENTS_MAX) == -EINVAL);
	KCHECK(trace_set_size(TRACE_TLB, 256) == 0);
	record(0, 300);
	trace_stat(&st);
	KCHECK(st.capacity == 256 && st.buffered == 256 && st.lost == 44);
	KCHECK(trace_set_size(0, TRACE_EVENTS_DEFAULT) == TRACE_TLB);	/* drops them */
	trace_stat(&st);
	KCHECK(st.capacity == TRACE_EVENTS_DEFAULT && st.buffered == 0 && st.lost == 0);
}
