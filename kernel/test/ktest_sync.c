/*
 * ktest_sync.c: in-kernel tests of the kernel's locks (sync/).
 */
#include "debug/ktest.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"

/* A mutex names its holder only while held. Between another thread's
 * fast-path swap and its naming itself, the lock is held by nobody named:
 * the last holder must not be taken for the owner then (its next
 * mutex_lock would assert "not recursive", mutex_held would lie). */
KTEST(mutex_owner)
{
	struct mutex m;
	mutex_init(&m, "test");
	mutex_lock(&m);
	KCHECK(mutex_held(&m) && m.owner == curthread());
	mutex_unlock(&m);
	KCHECK(!m.locked && m.owner == NULL);
	m.locked = 1;		/* another thread's swap, before it names itself */
	KCHECK(!mutex_held(&m));
	m.locked = 0;
	mutex_lock(&m);		/* and it is ours again, on the fast path */
	KCHECK(mutex_held(&m));
	mutex_unlock(&m);
}

static struct mutex wake_m = MUTEX_INIT(wake_m, "ktest wake");
static struct thread *volatile waiter;
static volatile bool waiter_done;

static void wait_for_wake_m(void)
{
	waiter = curthread();
	mutex_lock(&wake_m);
	mutex_unlock(&wake_m);
	waiter_done = true;
	proc_kthread_exit();
}

/* A device's wake (the network thread's, the disk's) ends a sleep only:
 * a thread it finds waiting for a mutex stays queued, or it would run
 * without the mutex ("a woken mutex waiter owns the mutex" fails). */
KTEST(device_wake_leaves_mutex_waiter)
{
	mutex_lock(&wake_m);
	KCHECK(proc_kthread(wait_for_wake_m) >= 0);
	while (!waiter || waiter->state != TS_BLOCKED)
		sched_yield();
	uint32_t f = spin_lock(&sched_lock);
	sched_wake_sleeper(waiter);
	spin_unlock(&sched_lock, f);
	for (int i = 0; i < 10; i++)
		sched_yield();
	KCHECK(waiter->state == TS_BLOCKED && !waiter_done);
	mutex_unlock(&wake_m);
	while (!waiter_done)
		sched_yield();
}

/* Two mutexes and two spinlocks, each pair taken in both orders, one
 * order per function, so that the report's sites name the function. A
 * normal kernel lets it pass; the lock-order checker of a debug kernel
 * must panic at the second order, naming both locks and the sites of
 * both (debug_kernel_lock_order*, tests/cases_fuzz.py). */
static struct mutex order_a = MUTEX_INIT(order_a, "ktest order A");
static struct mutex order_b = MUTEX_INIT(order_b, "ktest order B");
static struct spinlock spin_a = SPINLOCK_INIT("ktest spin A");
static struct spinlock spin_b = SPINLOCK_INIT("ktest spin B");

static __attribute__((noinline)) void take_a_then_b(void)
{
	mutex_lock(&order_a);
	mutex_lock(&order_b);
	mutex_unlock(&order_b);
	mutex_unlock(&order_a);
}

static __attribute__((noinline)) void take_b_then_a(void)
{
	mutex_lock(&order_b);
	mutex_lock(&order_a);
	mutex_unlock(&order_a);
	mutex_unlock(&order_b);
}

KTEST(lock_order_debug_only)
{
	take_a_then_b();
	take_b_then_a();
	KCHECK(true);	/* only a normal kernel gets here */
}

static __attribute__((noinline)) void spin_a_then_b(void)
{
	uint32_t f = spin_lock(&spin_a);
	uint32_t g = spin_lock(&spin_b);
	spin_unlock(&spin_b, g);
	spin_unlock(&spin_a, f);
}

static __attribute__((noinline)) void spin_b_then_a(void)
{
	uint32_t f = spin_lock(&spin_b);
	uint32_t g = spin_lock(&spin_a);
	spin_unlock(&spin_a, g);
	spin_unlock(&spin_b, f);
}

KTEST(lock_order_spin_debug_only)
{
	spin_a_then_b();
	spin_b_then_a();
	KCHECK(true);
}
