/*
 * trace.c: the kernel trace's rings (see trace.h, docs/performance.md).
 *
 * One ring per CPU that records, each an equal share of one static pool
 * of TRACE_POOL events (kernel memory is scarce: the pool is 256 KiB),
 * indexed by two free-running counters: head (the oldest unread event)
 * and tail (the next slot).
 * A full ring overwrites its oldest event and counts it in lost: the
 * newest events are the ones worth keeping when something goes wrong
 * late. With TRACE_FIRST it keeps the oldest and counts the new one
 * instead: a recording of a whole program wants its beginning. Each ring has a spinlock, a leaf: recording happens in
 * interrupt handlers and under sched_lock, and takes no other lock; a
 * reader copies events out under it and never touches user memory with
 * it held. The rings are static, so turning tracing on allocates
 * nothing (and leaks nothing).
 */
#include "debug/trace.h"
#include "arch/x86/x86.h"
#include "boot/smp.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "proc/thread.h"
#include "sync/spinlock.h"

#define TRACE_POOL 8192		/* events for every CPU together */

_Static_assert(sizeof(trace_event_t) == 32, "docs/abi/fable.md §9.3: 32-byte events");

/* Lock tags (docs/sync.md): [a] atomic, [l] the ring's lock. */
struct trace_ring {
	struct spinlock lock;
	uint32_t head;		/* [l] events ever taken or overwritten */
	uint32_t tail;		/* [l] events ever recorded */
	uint32_t lost;		/* [l] overwritten unread since the last clear */
};

uint32_t trace_mask;		/* [a] */
static struct trace_ring rings[MAX_CPUS] = {
	[0 ... MAX_CPUS - 1] = { .lock = SPINLOCK_INIT("trace") },
};
static trace_event_t pool[TRACE_POOL];	/* [l] each ring's share: its lock's */

/* The CPUs the tables list (cpus= kept), whether or not each started:
 * fixed by smp_init, before interrupts or threads could record. */
unsigned trace_cpus(void)
{
	return smp_info.ncpus;
}

/* Events per ring: a power of two, so that the counters wrap cleanly. */
static uint32_t ring_size(void)
{
	uint32_t n = TRACE_POOL / trace_cpus();
	while (n & (n - 1))
		n &= n - 1;
	return n;
}

/* Event number i of CPU cpu's ring. */
static trace_event_t *slot(unsigned cpu, uint32_t i)
{
	uint32_t size = ring_size();
	return &pool[cpu * size + i % size];
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
	if (r->tail - r->head == ring_size()) {
		r->lost++;
		if (__atomic_load_n(&trace_mask, __ATOMIC_RELAXED) & TRACE_FIRST) {
			spin_unlock(&r->lock, f);
			return;
		}
		r->head++;
	}
	trace_event_t *e = slot(cpu, r->tail++);
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

int trace_set(uint32_t mask)
{
	if (mask & ~(TRACE_ALL | TRACE_DUMP | TRACE_FIRST))
		return -EINVAL;
	return (int)__atomic_exchange_n(&trace_mask, mask, __ATOMIC_RELAXED);
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

uint32_t trace_parse(const char *opt)
{
	uint32_t mask = 0;
	while (*opt) {
		const char *comma = strchr(opt, ',');
		size_t n = comma ? (size_t)(comma - opt) : strlen(opt);
		if (n)
			mask |= class_bits(opt, n);
		opt += n + (comma != NULL);
	}
	return mask;
}

int trace_take(trace_event_t *out, int max)
{
	int n = 0;
	for (unsigned cpu = 0; cpu < trace_cpus() && n < max; cpu++) {
		struct trace_ring *r = &rings[cpu];
		uint32_t f = spin_lock(&r->lock);
		while (n < max && r->head != r->tail)
			out[n++] = *slot(cpu, r->head++);
		spin_unlock(&r->lock, f);
	}
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
}

void trace_stat(trace_stat_t *st)
{
	st->mask = __atomic_load_n(&trace_mask, __ATOMIC_RELAXED);
	st->capacity = ring_size();
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
	kprintf("\nTRACE BEGIN 1 %x %x %x\n", ring_size(), st.buffered, st.lost);
	for (unsigned cpu = 0; cpu < trace_cpus(); cpu++) {
		struct trace_ring *r = &rings[cpu];
		for (uint32_t i = r->head; i != r->tail; i++) {
			const trace_event_t *e = slot(cpu, i);
			kprintf("TRACE %x %llx %x %x %x %x %x %x\n", e->cpu, e->tsc, e->type,
				e->tid, e->task, e->a, e->b, e->c);
		}
	}
	kprintf("TRACE END\n");
}
