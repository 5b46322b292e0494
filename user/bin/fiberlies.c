/*
 * fiberlies.c: user threads against kernel threads (docs/lie-fibers.md).
 *
 *   fiberlies [-r] [-l] [TICKS]     default: fiber S sleeps 30 ticks
 *
 * -l: part 2 alone, the lie, without the measurements of part 1 (for
 * `make trace`: its trace buffer keeps the first events of a run).
 *
 * 1. The price of a switch. The same method as `make bench`
 *    (docs/performance.md): one warm-up batch, then 5 batches, and the
 *    cheapest batch counts; rdtsc around each batch counts guest
 *    instructions under QEMU's -icount (make bench, the test of this
 *    demo), cycles otherwise. A round trip is two switches: a fiber
 *    yields to the other fiber, which yields back (N:1), or a
 *    thread-library thread thr_yields to another, which yields back. In
 *    M:N a fourth fiber holds the second kernel thread in a blocking call,
 *    and the other three take turns on the first: 3 switches a turn.
 * 2. The lie. Fibers A and B count their turns, yielding after each;
 *    fiber S makes one blocking call: sleep(TICKS), or with -r a
 *    readline (type a line). First all three on one kernel thread (N:1):
 *    while S blocks, A and B stop too - the kernel put the only kernel
 *    thread to sleep, and the fibers on it with it. Then on two kernel
 *    threads (M:N): while S's kernel thread sleeps, the other one runs
 *    A and B. An observer, a kernel thread of its own, samples their
 *    counts at every tick and draws what it saw.
 */
#include <fiber.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>

#define BATCHES   5
#define FIB_N     1000		/* round trips per batch */
#define THR_N     200
#define SAMPLES   400		/* ticks the observer can keep */
#define STRIP     60		/* characters of a drawn strip */
#define AROUND    5		/* ticks S runs before and after it blocks */

static unsigned long long rdtsc(void)
{
	unsigned long long t;
	__asm__ volatile("rdtsc" : "=A"(t));
	return t;
}

/* ---- 1. the price of a switch ------------------------------------------ */

/* Cheapest of BATCHES batches of run(n), after a warm-up: tenths of a
 * count per op. */
static unsigned cheapest(void (*run)(int), int n)
{
	unsigned long long best = ~0ull;
	run(n);
	for (int b = 0; b < BATCHES; b++) {
		unsigned long long t0 = rdtsc();
		run(n);
		unsigned long long t = rdtsc() - t0;
		if (t < best)
			best = t;
	}
	return (unsigned)((best * 10 + n / 2) / n);
}

static void fiber_round_trips(int n)
{
	for (int i = 0; i < n; i++)
		fiber_yield();
}

static volatile int partner_stop;
static volatile int holders;	/* [atomic] fibers that hold a kernel thread */
static int want_holders;
static unsigned fiber_cost;

static void *measurer(void *arg)
{
	(void)arg;
	while (holders < want_holders)
		fiber_yield();
	fiber_cost = cheapest(fiber_round_trips, FIB_N);
	partner_stop = 1;
	return NULL;
}

static void *partner(void *arg)
{
	(void)arg;
	while (!partner_stop)
		fiber_yield();
	return NULL;
}

/* Keep this kernel thread asleep, away from the run queue, until the
 * measurer is done (as make bench does, docs/performance.md): otherwise
 * the count would depend on where the timer's ticks fall, on whether the
 * other kernel thread holds a partner or the queue's lock. */
static void *holder(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&holders, 1, __ATOMIC_SEQ_CST);
	while (!partner_stop)
		sleep(1);
	return NULL;
}

/* A measuring fiber and one partner per kernel thread, and in M:N a
 * holder for every kernel thread but one: the measurer's every yield
 * goes to a partner, which yields on to the next or back. */
static unsigned fiber_switches(int nthreads)
{
	partner_stop = holders = 0;
	want_holders = nthreads - 1;
	int made = fiber_create(measurer, NULL) != NULL;
	for (int i = 0; i < nthreads; i++)
		made &= fiber_create(partner, NULL) != NULL;
	for (int i = 1; i < nthreads; i++)
		made &= fiber_create(holder, NULL) != NULL;
	if (!made || fiber_run(nthreads) < 0) {
		printf("fiberlies: fiber_run failed\n");
		exit(1);
	}
	return fiber_cost;
}

static int main_tid, other_tid;
static volatile int other_stop;

static void *yield_back(void *arg)
{
	(void)arg;
	while (!other_stop)
		thr_yield(main_tid);
	return NULL;
}

static void thr_round_trips(int n)
{
	for (int i = 0; i < n; i++)
		thr_yield(other_tid);
}

static unsigned thread_switches(void)
{
	main_tid = thr_getid();
	other_stop = 0;
	if ((other_tid = thr_create(yield_back, NULL)) < 0) {
		printf("fiberlies: thr_create failed\n");
		exit(1);
	}
	unsigned cost = cheapest(thr_round_trips, THR_N);
	other_stop = 1;
	thr_join(other_tid, NULL);
	return cost;
}

/* Tenths as a number with one decimal. */
static void tenths(const char *label, unsigned t)
{
	printf("   %-56s %6u.%u\n", label, t / 10, t % 10);
}

static void price(void)
{
	unsigned n1 = fiber_switches(1);
	unsigned mn = fiber_switches(2);
	unsigned kt = thread_switches();
	printf("1. the price of a switch: rdtsc per round trip (2 switches; M:N 3);\n"
	       "   instructions under -icount (make bench), cycles otherwise\n");
	tenths("fiber round trip, N:1 (2 fibers, 1 kernel thread):", n1);
	tenths("kernel-thread round trip (thr_yield, 2 threads):", kt);
	tenths("fiber round trip, M:N (3 fibers, 2 kernel threads):", mn);
	printf("   a fiber switch costs %u%% of a kernel-thread switch; with M:N's "
	       "locks, %u%%\n", (200 * n1 + kt) / (2 * kt), (400 * mn + 3 * kt) / (6 * kt));
}

/* ---- 2. the lie ---------------------------------------------------------- */

static volatile int turns[2];		/* A's and B's, each by its own fiber */
static volatile int moved;		/* [atomic] resumes on another kernel thread */
static volatile int blocked;		/* S is in its blocking call */
static volatile int done;		/* S is through: everyone stops */
static int use_readline, block_ticks;
static int during[2];			/* turns while S was blocked */
static int blocked_for;			/* ticks */

static struct sample {
	int turns;			/* A's and B's together */
	int blocked;
} samples[SAMPLES];
static volatile int nsamples;

/* A or B: count turns until S is through. */
static void *counter(void *arg)
{
	int me = (int)arg;
	while (!done) {
		turns[me]++;
		int tid = gettid();
		fiber_yield();
		if (gettid() != tid)
			__atomic_add_fetch(&moved, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

/* Yield for `ticks` ticks, letting A and B run (if they can). */
static void run_for(int ticks)
{
	unsigned start = get_ticks();
	while (get_ticks() - start < (unsigned)ticks)
		fiber_yield();
}

/* S: run a little, block once, run a little more, end the show. */
static void *sleeper(void *arg)
{
	(void)arg;
	char line[80];
	run_for(AROUND);
	int before[2] = { turns[0], turns[1] };
	unsigned start = get_ticks();
	blocked = 1;
	if (use_readline) {
		printf("   S: readline - type a line: ");
		fiber_readline(sizeof line, line);
	} else {
		fiber_sleep(block_ticks);
	}
	blocked = 0;
	blocked_for = (int)(get_ticks() - start);
	for (int i = 0; i < 2; i++)
		during[i] = turns[i] - before[i];
	run_for(AROUND);
	done = 1;
	return NULL;
}

/* A kernel thread of its own: what A and B did, tick by tick. */
static void *observer(void *arg)
{
	(void)arg;
	while (!done && nsamples < SAMPLES) {
		sleep(1);
		samples[nsamples] = (struct sample){ turns[0] + turns[1], blocked };
		nsamples++;
	}
	return NULL;
}

/* Two strips, one character for each few ticks: S blocked ('z') or
 * not, and A and B ran ('+') or not ('.'). */
static void draw(void)
{
	int per = (nsamples + STRIP - 1) / STRIP;
	char s[STRIP + 1], ab[STRIP + 1];
	int n = 0;
	for (int i = 0; i + per <= nsamples; i += per, n++) {
		int asleep = 0;
		for (int k = i; k < i + per; k++)
			asleep |= samples[k].blocked;
		int prev = i ? samples[i - 1].turns : 0;
		s[n] = asleep ? 'z' : '-';
		ab[n] = samples[i + per - 1].turns > prev ? '+' : '.';
	}
	s[n] = ab[n] = 0;
	printf("   S    %s\n   A,B  %s   (one column = %d tick%s)\n", s, ab, per,
	       per > 1 ? "s" : "");
}

static void show(int nthreads)
{
	turns[0] = turns[1] = moved = blocked = done = nsamples = 0;
	int made = fiber_create(counter, (void *)0) && fiber_create(counter, (void *)1) &&
		   fiber_create(sleeper, NULL);
	int obs = made ? thr_create(observer, NULL) : -1;
	if (obs < 0 || fiber_run(nthreads) < 0) {
		printf("fiberlies: could not start the fibers\n");
		exit(1);
	}
	thr_join(obs, NULL);
	printf("   %s: while S was blocked for %d ticks: A %d turns, B %d turns%s\n",
	       nthreads == 1 ? "N:1" : "M:N", blocked_for, during[0], during[1],
	       during[0] + during[1] == 0 ? " - every fiber stopped" :
	       " - the other kernel thread ran them");
	draw();
	if (nthreads > 1)
		printf("   M:N: fibers went on on another kernel thread %d times\n", moved);
}

int main(int argc, char *argv[])
{
	int a = 1, lie_only = 0;
	for (; a < argc && argv[a][0] == '-' && argv[a][1] && !argv[a][2]; a++) {
		if (argv[a][1] == 'r')
			use_readline = 1;
		else if (argv[a][1] == 'l')
			lie_only = 1;
		else
			break;
	}
	block_ticks = a < argc ? atoi(argv[a]) : 30;
	if (block_ticks < 1 || block_ticks > SAMPLES - 4 * AROUND || a + 1 < argc) {
		printf("usage: fiberlies [-r] [-l] [TICKS]   (TICKS: 1 to %d, default 30)\n",
		       SAMPLES - 4 * AROUND);
		return 2;
	}
	if (thr_init(8192) < 0) {
		printf("fiberlies: thr_init failed\n");
		return 1;
	}
	if (!lie_only)
		price();
	printf("2. the lie: fiber S makes a blocking call (%s); fibers A and B "
	       "count turns\n", use_readline ? "readline" : "sleep");
	show(1);
	show(2);
	return 0;
}
