/* trace_size.c: the trace's buffer is kernel memory taken when tracing
 * is turned on and given back when it is off and empty
 * (docs/abi/fable.md §9): trace_set_size refuses sizes that are not a
 * power of two from TRACE_EVENTS_MIN to TRACE_EVENTS_MAX without changing
 * anything, honours the others (the rings hold that many events, the
 * kernel pool pays for them), and the size stays for later sets. */
#include <syscall.h>
#include "testlib.h"

static kstat_t counters(void)
{
	kstat_t k = { .size = sizeof k };
	CHECK(kstat(&k) == 0);
	return k;
}

static unsigned heap(void)
{
	return counters().kernel_heap_bytes_in_use;
}

static trace_stat_t stat(void)
{
	trace_stat_t st;
	CHECK(trace_stat(&st) == 0);
	return st;
}

/* n traced gettids: 2n events. */
static void gettids(int n)
{
	for (int i = 0; i < n; i++)
		gettid();
}

/* Refused requests change neither the mask nor the size nor the heap. */
static void refused(unsigned h0)
{
	CHECK(trace_set_size(TRACE_SYSCALL, 0) < 0);
	CHECK(trace_set_size(TRACE_SYSCALL, 1000) < 0);
	CHECK(trace_set_size(TRACE_SYSCALL, TRACE_EVENTS_MIN / 2) < 0);
	CHECK(trace_set_size(TRACE_SYSCALL, 2 * TRACE_EVENTS_MAX) < 0);
	CHECK(trace_set_size(TRACE_SYSCALL, 0x80000000u) < 0);
	CHECK(trace_set_size(0x80000000u, 256) < 0);
	trace_stat_t st = stat();
	CHECK(st.mask == 0 && st.capacity == TRACE_EVENTS_DEFAULT && st.buffered == 0);
	CHECK(heap() == h0);
}

/* events per ring: the buffer holds that many and the heap paid for
 * them; off and cleared, the heap is as it was. This thread may move
 * between CPUs, each with its own ring, while it calls: with more
 * events than all the rings hold, one of them overflows, and together
 * they hold at least one ring's worth and at most every ring's. */
static void honoured(unsigned h0, unsigned events)
{
	unsigned cpus = counters().cpus;
	CHECK(trace_set_size(TRACE_SYSCALL, events) == 0);
	gettids((int)(events * cpus / 2) + 8);
	CHECK(trace_set(0) == (int)TRACE_SYSCALL);
	trace_stat_t st = stat();
	CHECK(st.capacity == events && st.lost > 0);
	CHECK(st.buffered >= events && st.buffered <= events * cpus);
	CHECK(heap() >= h0 + events * sizeof(trace_event_t));
	CHECK(trace_clear() == 0);
	CHECK(heap() == h0);
	CHECK(stat().capacity == events);	/* kept for the next set */
}

int main(void)
{
	trace_set(0);
	CHECK(trace_clear() == 0);
	unsigned h0 = heap();
	CHECK(stat().capacity == TRACE_EVENTS_DEFAULT);
	refused(h0);
	honoured(h0, 256);
	/* Every CPU has a ring: at four CPUs the largest (4 MiB each) do not
	 * fit in the kernel pool, and the set is refused, changing nothing;
	 * a quarter of that size then does. */
	unsigned big = TRACE_EVENTS_MAX;
	if (trace_set_size(TRACE_SYSCALL, big) < 0) {
		trace_stat_t st = stat();
		CHECK(st.mask == 0 && st.capacity == 256 && heap() == h0);
		big /= 4;
	} else {
		CHECK(trace_set(0) == (int)TRACE_SYSCALL);
		CHECK(trace_clear() == 0);
	}
	honoured(h0, big);
	/* A plain set uses the size chosen last. */
	CHECK(trace_set(TRACE_SYSCALL) == 0);
	CHECK(heap() >= h0 + big * sizeof(trace_event_t));
	CHECK(trace_set_size(0, TRACE_EVENTS_DEFAULT) == (int)TRACE_SYSCALL);
	CHECK(trace_clear() == 0);
	CHECK(heap() == h0 && stat().capacity == TRACE_EVENTS_DEFAULT);
	test_done();
}
