/* trace_calls.c: the trace call (vector 0x85, docs/abi/fable.md §9).
 * Its four operations do what fable.h says: set returns the old mask and
 * refuses unknown bits, a traced gettid shows up as an entry and an exit
 * of this thread, read moves events out oldest first and refuses bad
 * buffers and lengths without taking anything, stat counts what is
 * buffered and lost, clear empties the buffer; a full buffer keeps the
 * newest events, or the oldest with TRACE_FIRST, and counts the others.
 * Unknown operations and unreadable packets are refused. Leaves tracing
 * off and the buffer empty. */
#include <stddef.h>
#include <syscall.h>
#include "testlib.h"

#define MAXEV 64
#define REGION 0x40000000u

static trace_event_t ev[MAXEV];

/* The call with a packet of our own: ops the stubs cannot make. */
static int raw_trace(const void *packet)
{
	int r;
	__asm__ volatile("int %1" : "=a"(r) : "i"(TRACE_INT), "S"(packet) : "memory");
	return r;
}

static unsigned buffered(void)
{
	trace_stat_t st;
	CHECK(trace_stat(&st) == 0);
	return st.buffered;
}

/* Turn tracing off and drop every event. */
static void quiet(void)
{
	trace_set(0);
	CHECK(trace_clear() == 0);
	CHECK(buffered() == 0);
}

/* Is there an entry and an exit of gettid by us, in that order? */
static void traced_gettid(void)
{
	quiet();
	CHECK(trace_set(TRACE_SYSCALL) == 0);
	int me = gettid();
	CHECK(trace_set(0) == (int)TRACE_SYSCALL);
	int n = trace_read(ev, MAXEV);
	CHECK(n >= 2);
	int entry = -1, exit = -1;
	for (int i = 0; i < n; i++) {
		if (ev[i].tid != me || ev[i].a != GETTID_INT)
			continue;
		if (ev[i].type == TREV_SYSCALL)
			entry = i;
		else if (ev[i].type == TREV_SYSRET && entry >= 0 && (int)ev[i].b == me)
			exit = i;
	}
	CHECK(entry >= 0 && exit > entry);
	CHECK(ev[exit].tsc >= ev[entry].tsc && ev[entry].task > 0);
	CHECK(buffered() == 0);		/* read took them all */
}

/* Bad arguments are refused, and nothing is taken. */
static void hostile(void)
{
	quiet();
	CHECK(trace_set(0x80000000u) < 0);
	CHECK(trace_set(TRACE_ALL + 1 + TRACE_FIRST + TRACE_DUMP) < 0);
	CHECK(trace_set(TRACE_SYSCALL) == 0);	/* the refused ones changed nothing */
	gettid();
	trace_set(0);
	unsigned have = buffered();
	CHECK(have >= 2);
	CHECK(trace_read(NULL, 1) < 0);
	CHECK(trace_read((trace_event_t *)0x500000, 1) < 0);		/* kernel */
	CHECK(trace_read((trace_event_t *)0xDEAD0000, 1) < 0);	/* unmapped */
	CHECK(trace_read((trace_event_t *)(void *)raw_trace, 1) < 0);	/* read-only */
	CHECK(trace_read(ev, -1) < 0);
	CHECK(trace_read(ev, TRACE_READ_MAX + 1) < 0);
	CHECK(trace_read(ev, (int)0x80000000u) < 0);
	/* 64 bytes of room, two events' worth: three do not fit. */
	CHECK(new_pages((void *)REGION, PAGE_SIZE) == 0);
	trace_event_t *edge = (trace_event_t *)(REGION + PAGE_SIZE - 2 * sizeof *edge);
	CHECK(trace_read(edge, 3) < 0);
	CHECK(trace_read(ev, 0) == 0);
	CHECK(buffered() == have);
	CHECK(trace_read(edge, 2) == 2);
	CHECK(remove_pages((void *)REGION) == 0);
	CHECK(trace_stat(NULL) < 0);
	CHECK(trace_stat((trace_stat_t *)0x500000) < 0);
	static const unsigned bad_op[] = { 4, 0, 0 }, neg_op[] = { 0xFFFFFFFF, 0, 0 };
	CHECK(raw_trace(bad_op) < 0);
	CHECK(raw_trace(neg_op) < 0);
	CHECK(raw_trace(NULL) < 0);
	CHECK(raw_trace((void *)0x500000) < 0);
	CHECK(raw_trace((void *)0x00FFFFFE) < 0);	/* straddles user space's start */
}

/* n traced gettids: 2n events. */
static void gettids(int n)
{
	for (int i = 0; i < n; i++)
		gettid();
}

/* A full buffer: the newest are kept by default, the oldest with
 * TRACE_FIRST; the others are counted as lost. */
static void overflow(void)
{
	trace_stat_t st;
	quiet();
	CHECK(trace_stat(&st) == 0 && st.capacity > 0 && st.lost == 0);
	int calls = (int)st.capacity;	/* twice the events that fit */
	CHECK(trace_set(TRACE_SYSCALL) == 0);
	gettids(calls);
	trace_set(0);
	CHECK(trace_stat(&st) == 0);
	CHECK(st.buffered == st.capacity && st.lost > 0);
	/* The newest: the last event is the exit of trace_set(0). */
	trace_event_t last;
	while (trace_read(&last, 1) == 1 && buffered() > 0)
		;
	CHECK(last.type == TREV_SYSRET && last.a == TRACE_INT);

	/* Off again with TRACE_FIRST kept, or the exit of this trace_set,
	 * recorded without it, would take the oldest event's place. */
	quiet();
	CHECK(trace_set(TRACE_SYSCALL | TRACE_FIRST) == 0);
	gettids(calls);
	CHECK(trace_set(TRACE_FIRST) == (int)(TRACE_SYSCALL | TRACE_FIRST));
	CHECK(trace_stat(&st) == 0);
	CHECK(st.buffered == st.capacity && st.lost > 0);
	/* The oldest: the entry of the first gettid (the call that turned
	 * tracing on began before it was on), then its exit. */
	CHECK(trace_read(ev, 2) == 2);
	CHECK(ev[0].type == TREV_SYSCALL && ev[0].a == GETTID_INT);
	CHECK(ev[1].type == TREV_SYSRET && ev[1].a == GETTID_INT);
	quiet();
	CHECK(trace_stat(&st) == 0 && st.lost == 0);
}

int main(void)
{
	traced_gettid();
	hostile();
	overflow();
	quiet();
	test_done();
}
