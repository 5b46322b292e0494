/*
 * lockorder.c: the lock-order checker of a debug kernel (docs/sync.md,
 * "Lock order"; `make DEBUG=1`).
 *
 * A deadlock between two locks needs two paths that take them in
 * opposite orders, and they need not run at the same time to be wrong:
 * the checker remembers every order it has seen and panics at the first
 * acquisition that closes a cycle, long before the unlucky interleaving
 * that would hang. Locks are grouped in *classes* by name (every task's
 * "task" mutex is one class); a lock without a name is a class of its
 * own. When a lock of class B is taken while one of class A is held, the
 * edge A -> B is recorded, with where each was taken (return addresses,
 * named through the kernel's symbol table). If B already reaches A
 * through recorded edges, the new edge closes a cycle: panic, naming
 * both locks and the sites of both orders. Two locks of one class (the
 * two address spaces of a fork) give no edge.
 *
 * What is held: a CPU's spinlocks (taken and released on that CPU, with
 * interrupts off: a thread switch under sched_lock hands it from one
 * thread to the next, on the same CPU) and a thread's mutexes (held
 * across sleeps). The graph is shared by every CPU, under its own lock,
 * a bare xchg flag, since a spinlock here would check itself. The hooks
 * are called from spinlock.h and mutex.c through DEBUG_CHECK: a normal
 * kernel compiles neither them nor this file's body.
 */
#include "debug/debug.h"

#ifdef FABLE_DEBUG
#include <stdbool.h>
#include "arch/x86/gdt.h"
#include "arch/x86/x86.h"
#include "lib/format.h"
#include "lib/ksyms.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "proc/thread.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"

#define CLASSES		64	/* lock classes: names, and nameless locks */
#define WORDS		(CLASSES / 32)

struct site_pair {
	uintptr_t held;		/* where the first lock was taken */
	uintptr_t taken;	/* where the second was, while it was held */
};

/* Lock tags (docs/sync.md): [l] lock, the graph's xchg flag;
 * [i] interrupts off (this CPU's). */
static volatile uint32_t graph_lock;		/* 1 while a CPU changes the graph */
static const void *class_key[CLASSES];		/* [l] a name, or a nameless lock */
static const char *class_name[CLASSES];		/* [l] NULL for a nameless lock */
static volatile uint32_t nclasses;		/* [l]; peeked at without it by find */
/* [l] bit b of after[a]: a class-b lock was taken with a class-a one
 * held; peeked at without it (bits are only ever set, a word at a time) */
static volatile uint32_t after[CLASSES][WORDS];
static struct site_pair sites[CLASSES][CLASSES];	/* [l] the first time each edge was seen */
static struct lockorder_held cpu_spins[MAX_CPUS];	/* [i] each CPU's spinlocks */

static uint32_t graph_take(void)
{
	uint32_t flags = read_eflags();

	cli();	/* a spinlock's discipline: an IRQ on this CPU may check a lock too */
	while (xchg(&graph_lock, 1))
		__asm__ volatile("pause");
	return flags;
}

static void graph_give(uint32_t flags)
{
	xchg(&graph_lock, 0);
	if (flags & EFLAGS_IF)
		sti();
}

static bool same_class(unsigned c, const void *lock, const char *name)
{
	const char *n = class_name[c];
	if (name == NULL || n == NULL)
		return class_key[c] == (name ? (const void *)name : lock);
	return n == name || strcmp(n, name) == 0;
}

/* The class of a lock: found, or added. Nearly every lock names its
 * class with the string its first lock did, so pointers are compared
 * first, strings only if none matches. Caller holds the graph lock. */
static int class_of(const void *lock, const char *name)
{
	const void *key = name ? (const void *)name : lock;

	for (unsigned c = 0; c < nclasses; c++)
		if (class_key[c] == key)
			return (int)c;
	for (unsigned c = 0; c < nclasses; c++)
		if (same_class(c, lock, name))
			return (int)c;
	if (nclasses == CLASSES)
		return -1;	/* the checker stops growing; it never guesses */
	class_key[nclasses] = key;
	class_name[nclasses] = name;
	return (int)nclasses++;
}

static bool has_edge(unsigned a, unsigned b)
{
	return after[a][b / 32] & (1u << (b % 32));
}

/* Whether class to is reachable from class from by recorded edges; if
 * so, *next is the first class on such a path. Caller holds the graph
 * lock. */
static bool reaches(unsigned from, unsigned to, unsigned *next)
{
	uint32_t seen[WORDS] = { 0 }, frontier[WORDS] = { 0 };
	unsigned via[CLASSES];

	frontier[from / 32] = 1u << (from % 32);
	seen[from / 32] = frontier[from / 32];
	via[from] = from;
	for (bool grew = true; grew; ) {
		grew = false;
		for (unsigned c = 0; c < nclasses; c++) {
			if (!(frontier[c / 32] & (1u << (c % 32))))
				continue;
			frontier[c / 32] &= ~(1u << (c % 32));
			for (unsigned d = 0; d < nclasses; d++) {
				if (!has_edge(c, d) || (seen[d / 32] & (1u << (d % 32))))
					continue;
				seen[d / 32] |= 1u << (d % 32);
				frontier[d / 32] |= 1u << (d % 32);
				via[d] = c == from ? d : via[c];
				grew = true;
			}
		}
	}
	if (!(seen[to / 32] & (1u << (to % 32))))
		return false;
	*next = via[to];
	return true;
}

/* A class's name, or for a nameless lock its address. */
static const char *label(unsigned c, char *buf, size_t n)
{
	if (class_name[c])
		return class_name[c];
	snprintf(buf, n, "lock %p", class_key[c]);
	return buf;
}

static const char *sym(uintptr_t site, uint32_t *off)
{
	const char *name = ksym_lookup(site - 1, off);	/* -1: inside the call */
	*off += 1;
	return name ? name : "?";
}

/*
 * Taking class b (at site) while class a is held (taken at held_site)
 * would close a cycle through the order b -> ... -> a seen before. The
 * report names both locks and the sites of both orders.
 */
static void __attribute__((noreturn)) violation(unsigned a, unsigned b, unsigned next,
						 uintptr_t held_site, uintptr_t site)
{
	char abuf[24], bbuf[24], nbuf[24];
	const char *an = label(a, abuf, sizeof abuf), *bn = label(b, bbuf, sizeof bbuf);
	const char *nn = label(next, nbuf, sizeof nbuf);
	struct site_pair before = sites[b][next];
	uint32_t o1, o2, o3, o4;
	const char *s1 = sym(site, &o1), *s2 = sym(held_site, &o2);
	const char *s3 = sym(before.taken, &o3), *s4 = sym(before.held, &o4);

	/* A longer cycle names its first step back from b to a. */
	panic("lock order: \"%s\" at %s+%#x while holding \"%s\" from %s+%#x; "
	      "but \"%s\" was taken at %s+%#x while holding \"%s\" from %s+%#x%s",
	      bn, s1, o1, an, s2, o2, nn, s3, o3, bn, s4, o4,
	      next == a ? "" : " (and so on back)");
}

/* The edge a -> b, unless known; panics if it closes a cycle. */
static void order(unsigned a, unsigned b, uintptr_t held_site, uintptr_t site)
{
	unsigned next;

	if (a == b || has_edge(a, b))
		return;
	uint32_t f = graph_take();
	if (!has_edge(a, b)) {
		if (reaches(b, a, &next))
			violation(a, b, next, held_site, site);	/* stays locked: the end */
		sites[a][b] = (struct site_pair){ held_site, site };
		after[a][b / 32] |= 1u << (b % 32);
	}
	graph_give(f);
}

static void check_held(const struct lockorder_held *h, unsigned b, uintptr_t site)
{
	for (unsigned i = 0; i < h->n; i++)
		order(h->lock[i].cls, b, h->lock[i].site, site);
}

static void push(struct lockorder_held *h, const void *lock, unsigned cls, uintptr_t site)
{
	if (h->n < LOCKORDER_DEPTH)
		h->lock[h->n++] = (struct lockorder_lock){ lock, cls, site };
	else
		h->lost++;	/* held but unrecorded: no edges from it */
}

/* Locks may be released in any order (hand over hand). */
static void pop(struct lockorder_held *h, const void *lock)
{
	for (unsigned i = h->n; i-- > 0; ) {
		if (h->lock[i].lock != lock)
			continue;
		for (unsigned j = i; j + 1 < h->n; j++)
			h->lock[j] = h->lock[j + 1];
		h->n--;
		return;
	}
	if (h->lost > 0)
		h->lost--;
}

static int find(const void *lock, const char *name)
{
	uint32_t f = graph_take();
	int c = class_of(lock, name);
	graph_give(f);
	return c;
}

/* The mutexes the running thread holds, or NULL before threads exist. */
static struct lockorder_held *thread_held(void)
{
	struct thread *t = curthread();
	return t ? &t->lockorder : NULL;
}

/* Precondition (spin_lock's): interrupts off. */
void lockorder_spin_acquire(const struct spinlock *l)
{
	uintptr_t site = (uintptr_t)__builtin_return_address(0);
	int c = find(l, l->name);
	struct lockorder_held *held = thread_held(), *spins = &cpu_spins[cpu_index()];

	if (c < 0)
		return;
	check_held(spins, (unsigned)c, site);
	if (held)
		check_held(held, (unsigned)c, site);
	push(spins, l, (unsigned)c, site);
}

void lockorder_spin_release(const struct spinlock *l)
{
	pop(&cpu_spins[cpu_index()], l);
}

/* A mutex is taken by a thread, with interrupts on: no spinlock can be
 * held (docs/sync.md), but the CPU's are checked all the same. */
void lockorder_mutex_acquire(const struct mutex *m, void *site)
{
	struct lockorder_held *held = thread_held();
	int c = find(m, m->name);

	if (!held || c < 0)
		return;
	uint32_t f = read_eflags();
	cli();	/* the CPU's spinlocks are read on the CPU that holds them */
	check_held(&cpu_spins[cpu_index()], (unsigned)c, (uintptr_t)site);
	if (f & EFLAGS_IF)
		sti();
	check_held(held, (unsigned)c, (uintptr_t)site);
	push(held, m, (unsigned)c, (uintptr_t)site);
}

void lockorder_mutex_release(const struct mutex *m)
{
	struct lockorder_held *held = thread_held();

	if (held)
		pop(held, m);
}
#endif
