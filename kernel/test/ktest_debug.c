/*
 * ktest_debug.c: the invariant checks of debug/debug.h pass on sound
 * state and panic, naming the invariant, on each kind of damage
 * (tests/cases_fuzz.py checks the names in the panic reports).
 */
#include "debug/debug.h"
#include "debug/ktest.h"
#include "mm/paging.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "sync/mutex.h"

static struct thread fake[3];
static struct waitq q;

/* q holds fake[0..2], all runnable. */
static void build_queue(void)
{
	q = (struct waitq)WAITQ_INIT(q);
	uint32_t f = spin_lock(&sched_lock);	/* waitq_push's precondition */
	for (int i = 0; i < 3; i++) {
		fake[i].state = TS_RUNNABLE;
		waitq_push(&q, &fake[i]);
	}
	spin_unlock(&sched_lock, f);
}

/* check_runq(&q), with its precondition: sched_lock held. */
static void check_queue(void)
{
	uint32_t f = spin_lock(&sched_lock);
	check_runq(&q);
	spin_unlock(&sched_lock, f);
}

KTEST(invariants_hold)
{
	build_queue();
	check_queue();
	q = (struct waitq)WAITQ_INIT(q);
	check_queue();
	check_user_line(kernel_pd);
	uint32_t f = spin_lock(&sched_lock);
	check_spin_held(&sched_lock);
	spin_unlock(&sched_lock, f);
	static struct mutex m = MUTEX_INIT(m, "held");
	mutex_lock(&m);
	check_mutex_held(&m);
	mutex_unlock(&m);
	KCHECK(true);	/* getting here is the test */
}

KTEST(panic_invariant_runq_state)
{
	build_queue();
	fake[1].state = TS_BLOCKED;
	check_queue();
}

KTEST(panic_invariant_runq_cycle)
{
	build_queue();
	fake[2].qlink.next = &fake[1].qlink;
	check_queue();
}

KTEST(panic_invariant_lock)
{
	static struct spinlock l = SPINLOCK_INIT("not held");
	check_spin_held(&l);
}

KTEST(panic_invariant_mutex)
{
	static struct mutex m = MUTEX_INIT(m, "not held");
	check_mutex_held(&m);
}

/*
 * A precondition broken on purpose: sched_wake_one says "caller holds
 * sched_lock", and here nobody does. A normal kernel does not check
 * (ASSERT_HELD compiles to nothing, so this test passes); the debug
 * kernel panics naming the invariant (case debug_kernel_assert_held).
 */
KTEST(assert_held_debug_only)
{
	static struct waitq empty = WAITQ_INIT(empty);
	KCHECK(sched_wake_one(&empty) == NULL);
}

/* The damage is never undone: the panic ends the machine. */
KTEST(panic_invariant_user_line)
{
	*kernel_pte(0x500000) |= PTE_U;
	check_user_line(kernel_pd);
}
