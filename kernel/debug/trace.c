/*
 * trace.c: the kernel trace's rings (see trace.h, docs/performance.md).
 *
 * One ring per CPU that records, each of trace_events events (a power of
 * two: `events=` of the option, or the call's set-with-size), indexed by
 * two free-running counters: head (the oldest unread event) and tail
 * (the next slot).
 * A full ring overwrites its oldest event and counts it in lost: the
 * newest events are the ones worth keeping when something goes wrong
 * late. With TRACE_FIRST it keeps the oldest and counts the new one
 * instead: a recording of a whole program wants its beginning. Each ring has a spinlock, a leaf: recording happens in
 * interrupt handlers and under sched_lock, and takes no other lock; a
 * reader copies events out under it and never touches user memory with
 * it held.
 *
 * The rings' events are kmalloc'd when the mask first becomes nonzero
 * and freed when it is 0 again and every ring is empty (a set, a read
 * or a clear finds it so): a kernel that never traces pays nothing for
 * them, and a program that turns the trace on, off and empties it
 * leaves the kernel pool as it found it (leakcheck stays exact).
 */
#include "debug/trace.h"
#include "arch/x86/x86.h"
#include "boot/smp.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/layout.h"
#include "proc/thread.h"
#include "sync/spinlock.h"

_Static_assert(sizeof(trace_event_t) == 32, "docs/abi/fable.md §9.3: 32-byte events");
_Static_assert(TRACE_EVENTS_MAX * sizeof(trace_event_t) <= 4u << 20,
	       "mm/kmalloc.h: a ring is one kmalloc, at most 4 MiB");

/* Lock tags (docs/sync.md): [a] atomic, [l] the ring's lock, [b] buf_lock
 * to change, [l] too to change or read through ev. */
struct trace_ring {
	struct spinlock lock;
	trace_event_t *ev;	/* [b][l] size events; NULL: none allocated */
	uint32_t size;		/* [b][l] a power of two, so that the counters wrap cleanly */
	uint32_t head;		/* [l] events ever taken or overwritten */
	uint32_t tail;		/* [l] events ever recorded */
	uint32_t lost;		/* [l] overwritten unread since the last clear */
};

uint32_t trace_mask;		/* [a] */
static struct trace_ring rings[MAX_CPUS] = {
	[0 ... MAX_CPUS - 1] = { .lock = SPINLOCK_INIT("trace") },
};
/* Taken before a ring's lock, to allocate or free the rings' events:
 * kmalloc and kfree never sleep, so a spinlock will do, and the boot may
 * take it before there are threads. */
static struct spinlock buf_lock = SPINLOCK_INIT("trace buffer");
static uint32_t trace_events = TRACE_EVENTS_DEFAULT;	/* [b] each ring's size, next allocation */

/* The CPUs the tables list (cpus= kept), whether or not each started:
 * fixed by smp_init, before interrupts or threads could record. */
unsigned trace_cpus(void)
{
	return smp_info.ncpus;
}

/* Event number i of ring r (r->ev is not NULL). */
static trace_event_t *slot(struct trace_ring *r, uint32_t i)
{
	return &r->ev[i & (r->size - 1)];
}

void trace_record_as(int tid, int task, unsigned type, uint32_t a, uint32_t b, uint32_t c)
{
	/* Interrupts off first: the ring, and the event's cpu, are this
	 * CPU's (a thread preempted between the two could move). */
	uint32_t f = read_eflags();
	cli();
	unsigned cpu = trace_cpu();
	struct trace_ring *r = &rings[cpu];
	spin_acquire(&r->lock);
	if (!r->ev) {		/* the mask went to 0 after this site tested it */
		spin_unlock(&r->lock, f);
		return;
	}
	if (r->tail - r->head == r->size) {
		r->lost++;
		if (__atomic_load_n(&trace_mask, __ATOMIC_RELAXED) & TRACE_FIRST) {
			spin_unlock(&r->lock, f);
			return;
		}
		r->head++;
	}
	trace_event_t *e = slot(r, r->tail++);
	e->tsc = rdtsc();
	e->type = type;
	e->cpu = cpu;
	e->zero = 0;
	e->tid = tid;
	e->task = task;
	e->a = a;
	e->b = b;
	e->c = c;
	spin_unlock(&r->lock, f);
}

/* The running thread (curthread(), from its stack: right on any CPU),
 * which outlives the event; none before the scheduler starts. */
void trace_record(unsigned type, uint32_t a, uint32_t b, uint32_t c)
{
	struct thread *t = curthread();
	trace_record_as(t ? t->tid : 0, t ? t->task_id : 0, type, a, b, c);
}

void trace_name(int tid, int task, unsigned type, const char *name)
{
	uint32_t w[3] = { 0, 0, 0 };
	memcpy(w, name, strnlen(name, sizeof w));
	trace_record_as(tid, task, type, w[0], w[1], w[2]);
}

/* Give each ring events events, a new array unless it has them already
 * (its events are then dropped); the old arrays are freed. All or
 * nothing: -ENOMEM leaves every ring as it was. Caller holds buf_lock. */
static int rings_alloc(uint32_t events)
{
	trace_event_t *fresh[MAX_CPUS] = { 0 };
	for (unsigned cpu = 0; cpu < trace_cpus(); cpu++) {
		if (rings[cpu].ev && rings[cpu].size == events)
			continue;
		fresh[cpu] = kmalloc(events * sizeof(trace_event_t));
		if (!fresh[cpu]) {
			for (unsigned i = 0; i < cpu; i++)
				kfree(fresh[i]);
			return -ENOMEM;
		}
	}
	for (unsigned cpu = 0; cpu < trace_cpus(); cpu++) {
		struct trace_ring *r = &rings[cpu];
		if (!fresh[cpu])
			continue;
		uint32_t f = spin_lock(&r->lock);
		trace_event_t *old = r->ev;
		r->ev = fresh[cpu];
		r->size = events;
		r->head = r->tail = r->lost = 0;
		spin_unlock(&r->lock, f);
		kfree(old);
	}
	return 0;
}

/* Free the rings' events, dropping any. Caller holds buf_lock. */
static void rings_free(void)
{
	for (unsigned cpu = 0; cpu < trace_cpus(); cpu++) {
		struct trace_ring *r = &rings[cpu];
		uint32_t f = spin_lock(&r->lock);
		trace_event_t *old = r->ev;
		r->ev = NULL;
		r->head = r->tail = r->lost = 0;
		spin_unlock(&r->lock, f);
		kfree(old);
	}
}

/* Free the rings' events if the mask is 0 and every ring is empty: the
 * rule that makes a trace that was turned on, off and read (or cleared)
 * cost nothing. Caller holds buf_lock. */
static void rings_release_if_idle(void)
{
	if (__atomic_load_n(&trace_mask, __ATOMIC_RELAXED) != 0)
		return;
	for (unsigned cpu = 0; cpu < trace_cpus(); cpu++) {
		struct trace_ring *r = &rings[cpu];
		uint32_t f = spin_lock(&r->lock);
		bool empty = r->head == r->tail;
		spin_unlock(&r->lock, f);
		if (!empty)
			return;
	}
	rings_free();
}

static void release_if_idle(void)
{
	uint32_t f = spin_lock(&buf_lock);
	rings_release_if_idle();
	spin_unlock(&buf_lock, f);
}

/* The mask, and events for each ring (0: the size they have now). */
static int set(uint32_t mask, uint32_t events)
{
	if (mask & ~(TRACE_ALL | TRACE_DUMP | TRACE_FIRST))
		return -EINVAL;
	uint32_t f = spin_lock(&buf_lock);
	if (events == 0)
		events = trace_events;
	/* Rings of another size go even while the mask is 0 (freed, not
	 * replaced: turning tracing off needs no memory), so that there is
	 * one size: trace_events. */
	if (mask && rings_alloc(events) < 0) {
		spin_unlock(&buf_lock, f);
		return -ENOMEM;
	}
	if (!mask && rings[0].ev && rings[0].size != events)
		rings_free();
	trace_events = events;
	int old = (int)__atomic_exchange_n(&trace_mask, mask, __ATOMIC_RELAXED);
	rings_release_if_idle();
	spin_unlock(&buf_lock, f);
	return old;
}

int trace_set(uint32_t mask)
{
	return set(mask, 0);
}

int trace_set_size(uint32_t mask, uint32_t events)
{
	if (events < TRACE_EVENTS_MIN || events > TRACE_EVENTS_MAX || (events & (events - 1)))
		return -EINVAL;
	return set(mask, events);
}

static const struct { const char *name; uint32_t bits; } class_names[] = {
	{ "sched", TRACE_SCHED }, { "syscall", TRACE_SYSCALL }, { "fault", TRACE_FAULT },
	{ "irq", TRACE_IRQ }, { "proc", TRACE_PROC }, { "tlb", TRACE_TLB },
	{ "all", TRACE_ALL }, { "dump", TRACE_DUMP }, { "first", TRACE_FIRST },
};

/* The bits of the n-byte word w; 0 (logged) if it names nothing. */
static uint32_t class_bits(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof class_names / sizeof class_names[0]; i++)
		if (strlen(class_names[i].name) == n && strncmp(class_names[i].name, w, n) == 0)
			return class_names[i].bits;
	klog(LOG_WARN, "trace: no class '%.*s' (sched syscall fault irq proc tlb all dump first)",
	     (int)n, w);
	return 0;
}

/* "events=N", the n bytes at w: N, or 0 (logged) if it is no size a
 * ring may have. */
static uint32_t events_word(const char *w, size_t n)
{
	uint32_t v = 0;
	size_t i = 7;
	while (i < n && w[i] >= '0' && w[i] <= '9' && v <= TRACE_EVENTS_MAX)
		v = v * 10 + (uint32_t)(w[i++] - '0');
	if (i == n && v >= TRACE_EVENTS_MIN && v <= TRACE_EVENTS_MAX && !(v & (v - 1)))
		return v;
	klog(LOG_WARN, "trace: '%.*s': events are a power of two from %u to %u",
	     (int)n, w, TRACE_EVENTS_MIN, TRACE_EVENTS_MAX);
	return 0;
}

uint32_t trace_parse(const char *opt, uint32_t *events)
{
	uint32_t mask = 0;
	*events = 0;
	while (*opt) {
		const char *comma = strchr(opt, ',');
		size_t n = comma ? (size_t)(comma - opt) : strlen(opt);
		if (n > 7 && strncmp(opt, "events=", 7) == 0)
			*events = events_word(opt, n);
		else if (n)
			mask |= class_bits(opt, n);
		opt += n + (comma != NULL);
	}
	return mask;
}

void trace_boot(const char *opt)
{
	uint32_t events;
	uint32_t mask = trace_parse(opt, &events);
	if (set(mask, events) == -ENOMEM)
		klog(LOG_WARN, "trace: no kernel memory for %u events: tracing stays off",
		     events ? events : trace_events);
}

int trace_take(trace_event_t *out, int max)
{
	int n = 0;
	for (unsigned cpu = 0; cpu < trace_cpus() && n < max; cpu++) {
		struct trace_ring *r = &rings[cpu];
		uint32_t f = spin_lock(&r->lock);
		while (n < max && r->head != r->tail)
			out[n++] = *slot(r, r->head++);
		spin_unlock(&r->lock, f);
	}
	if (n > 0)
		release_if_idle();
	return n;
}

void trace_clear(void)
{
	for (unsigned cpu = 0; cpu < trace_cpus(); cpu++) {
		struct trace_ring *r = &rings[cpu];
		uint32_t f = spin_lock(&r->lock);
		r->head = r->tail;
		r->lost = 0;
		spin_unlock(&r->lock, f);
	}
	release_if_idle();
}

void trace_stat(trace_stat_t *st)
{
	st->mask = __atomic_load_n(&trace_mask, __ATOMIC_RELAXED);
	st->capacity = __atomic_load_n(&trace_events, __ATOMIC_RELAXED);
	st->buffered = st->lost = 0;
	for (unsigned cpu = 0; cpu < trace_cpus(); cpu++) {
		struct trace_ring *r = &rings[cpu];
		uint32_t f = spin_lock(&r->lock);
		st->buffered += r->tail - r->head;
		st->lost += r->lost;
		spin_unlock(&r->lock, f);
	}
}

/*
 * One line per event, every field in hex, so that a log that also holds
 * other lines can be read back exactly:
 *   TRACE BEGIN 1 <capacity> <buffered> <lost>
 *   TRACE <cpu> <tsc> <type> <tid> <task> <a> <b> <c>
 *   TRACE END
 * The machine is stopping (interrupts off, nothing else runs), so the
 * rings are read without their locks: a holder will never release one.
 */
void trace_dump(void)
{
	if (!(__atomic_load_n(&trace_mask, __ATOMIC_RELAXED) & TRACE_DUMP))
		return;
	trace_stat_t st;
	st.buffered = st.lost = 0;
	for (unsigned cpu = 0; cpu < trace_cpus(); cpu++) {
		st.buffered += rings[cpu].tail - rings[cpu].head;
		st.lost += rings[cpu].lost;
	}
	kprintf("\nTRACE BEGIN 1 %x %x %x\n", trace_events, st.buffered, st.lost);
	for (unsigned cpu = 0; cpu < trace_cpus(); cpu++) {
		struct trace_ring *r = &rings[cpu];
		for (uint32_t i = r->head; r->ev && i != r->tail; i++) {
			const trace_event_t *e = slot(r, i);
			kprintf("TRACE %x %llx %x %x %x %x %x %x\n", e->cpu, e->tsc, e->type,
				e->tid, e->task, e->a, e->b, e->c);
		}
	}
	kprintf("TRACE END\n");
}
