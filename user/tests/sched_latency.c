/* runner: timeout=60 icount=1 */
/*
 * sched_latency.c: a thread that wakes from sleep() runs within a few
 * ticks of its wake-up tick, even while 1,000 threads of another task
 * spin, and while a fork bomb runs (docs/scheduling.md: woken threads
 * rise, spinners and new tasks sink). Round robin made it wait behind
 * every spinner, 3 ticks each. Latencies are in guest ticks, which count
 * on when the host is slow.
 */
#include <stdlib.h>
#include <syscall.h>
#include "spinners.h"
#include "testlib.h"

#define SPINNERS 1000
#define MIN_SPINNERS 500
#define LOAD_TICKS 120		/* the load ends by itself */
#define NAP 3
#define NAPS 10
#define TARGET 50		/* ticks: the Hardening issue's bound */

/* The largest lateness of NAPS sleeps of NAP ticks, in ticks. */
static unsigned worst_wakeup(void)
{
	unsigned worst = 0;
	for (int i = 0; i < NAPS; i++) {
		unsigned t0 = get_ticks();
		sleep(NAP);
		unsigned late = get_ticks() - t0 - NAP;
		if (late > worst)
			worst = late;
	}
	return worst;
}

static void spin(int i)
{
	(void)i;
	spin_until_end();
}

/* The thread bomb: a task of SPINNERS spinning threads, or as many as
 * kernel memory holds (each costs a kernel stack: with 1 GiB of RAM the
 * frame map leaves room for fewer than 1,000); at least MIN_SPINNERS. */
static void thread_bomb(void)
{
	spin_end = get_ticks() + LOAD_TICKS;
	int made = spinners_start(SPINNERS, spin);
	tprintf("sched_latency: the thread bomb has %d spinning threads\n", made);
	spinners_wait();
	exit(made >= MIN_SPINNERS ? 0 : 1);
}

/* The fork bomb: every task forks until the end; orphans go to init. */
static void fork_bomb(void)
{
	unsigned end = get_ticks() + LOAD_TICKS;
	while (get_ticks() < end)
		fork();
	exit(0);
}

/* Run load in a child task and measure wake-ups meanwhile. */
static void under(const char *what, void (*load)(void))
{
	int pid = fork();
	if (pid == 0)
		load();
	CHECK(pid > 0);
	unsigned worst = worst_wakeup();
	int status = -1;
	CHECK(wait(&status) == pid && status == 0);
	tprintf("sched_latency: under the %s, woken threads ran at worst %u ticks late\n",
		what, worst);
	CHECK(worst <= TARGET);
}

int main(void)
{
	under("thread bomb", thread_bomb);
	under("fork bomb", fork_bomb);
	test_done();
}
