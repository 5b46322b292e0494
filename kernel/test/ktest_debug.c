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

static struct thread fake[3];
static struct waitq q;

/* q holds fake[0..2], all runnable. */
static void build_queue(void)
{
	q = (struct waitq)WAITQ_INIT(q);
	for (int i = 0; i < 3; i++) {
		fake[i].state = TS_RUNNABLE;
		waitq_push(&q, &fake[i]);
	}
}

KTEST(invariants_hold)
{
	build_queue();
	check_runq(&q);
	q = (struct waitq)WAITQ_INIT(q);
	check_runq(&q);
	check_user_line(kernel_pd);
	uint32_t f = spin_lock(&sched_lock);
	check_spin_held(&sched_lock);
	spin_unlock(&sched_lock, f);
	KCHECK(true);	/* getting here is the test */
}

KTEST(panic_invariant_runq_state)
{
	build_queue();
	fake[1].state = TS_BLOCKED;
	check_runq(&q);
}

KTEST(panic_invariant_runq_cycle)
{
	build_queue();
	fake[2].qnext = &fake[1];
	check_runq(&q);
}

KTEST(panic_invariant_lock)
{
	static struct spinlock l = SPINLOCK_INIT("not held");
	check_spin_held(&l);
}

/* The damage is never undone: the panic ends the machine. */
KTEST(panic_invariant_user_line)
{
	*kernel_pte(0x500000) |= PTE_U;
	check_user_line(kernel_pd);
}
