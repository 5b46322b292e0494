/*
 * fpu_threads.c: every thread keeps its own x87 state. TASKS tasks of
 * THREADS threads each load a state of their own - all 8 registers, a
 * control word with its own rounding and precision, a status word with
 * its own TOP, condition codes and sticky exception flags - and check
 * all of it (fnsave) after every yield and sleep, under each misbehave
 * mode. A thread whose state changed says whose values it holds (the
 * registers encode their thread and index). A task forked with the FPU
 * in use, and each thread it creates, start with a copy of its
 * creator's state. No leaks.
 *
 * The lazy FPU hand-over (kernel/proc/fpu.c, docs/tasks.md) must be
 * atomic with respect to preemption. When the #NM handler ran with
 * interrupts on, a tick that switched threads inside it gave one
 * thread's registers to another, or an empty FPU. Under one-tick slices
 * (mode 2) that happened 0.5 to 2.7 times a second, and never in the
 * other modes, where these threads yield long before a slice ends: so
 * mode 2 runs 20 s, in which five runs found 33 to 54 corruptions (the
 * first within 2 to 400 ticks), where one fails the test.
 * For measuring: args ticks=N (every mode runs N ticks), mode=M (only M).
 */
/* runner: timeout=120 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include "testlib.h"

#define TASKS      3
#define THREADS    4		/* per task, its first thread included */
#define MODES      4		/* misbehave 0-3 */
#define MODE_TICKS 250		/* how long modes 0, 1 and 3 run (2.5 s) */
#define SLICE_TICKS 2000	/* and mode 2, one-tick slices (20 s) */
#define STACK      8192
#define SLEEP_EVERY 64		/* every 64th wait is sleep(1), the rest yields */
#define REPORTS    3		/* corruptions described per thread */
#define PARENT     63		/* the forking task's own state */

/* The fnsave image (32-bit protected mode). fip..fds describe the last
 * instruction, not the state: they are not compared. */
struct fpu_image {
	uint16_t cw, r0, sw, r1, tw, r2;
	uint32_t fip;
	uint16_t fcs, fop;
	uint32_t fdp;
	uint16_t fds, r3;
	uint8_t st[8][10];	/* st(0)..st(7): significand, sign+exponent */
} __attribute__((packed));

_Static_assert(sizeof(struct fpu_image) == 108, "fnsave image size");

static unsigned mode_ticks;		/* ticks=N: every mode runs N ticks */

/* Make a state for thread k: exceptions masked (no trap can come of it),
 * everything else its own. */
static void build(int k, struct fpu_image *img)
{
	static const uint16_t pcs[3] = { 0, 2, 3 };	/* single, double, extended */
	int combo = k % 12;
	memset(img, 0, sizeof *img);
	img->cw = 0x0040 | 0x3F | pcs[combo / 4] << 8 | (combo % 4) << 10;
	unsigned h = (unsigned)k * 7 + 3;
	img->sw = (k & 0x3F) |			/* sticky flags: masked */
		  (h & 1) << 8 | (h >> 1 & 1) << 9 | (h >> 2 & 1) << 10 |
		  (h >> 3 & 1) << 14 |		/* C0 C1 C2 C3 */
		  (k & 7) << 11;		/* TOP */
	img->tw = 0;				/* all 8 registers valid */
	for (int j = 0; j < 8; j++) {
		uint8_t *r = img->st[j];
		uint32_t mix = (uint32_t)(k * 8 + j + 1) * 0x9E3779B9u;
		memcpy(r, &mix, 4);
		r[4] = (uint8_t)(k * 31 + j);
		r[5] = (uint8_t)(j + 1);	/* who: register j + 1 ... */
		r[6] = (uint8_t)(k + 1);	/* ... of thread k + 1 */
		r[7] = 0x80;			/* integer bit: a normal number */
		unsigned exp = 0x3FFF - 40 + (unsigned)(k * 8 + j);
		r[8] = (uint8_t)exp;
		r[9] = (uint8_t)(exp >> 8) | ((k + j) & 1) << 7;
	}
}

/* Read the FPU's whole state without changing it (fnsave reinitialises). */
static void snapshot(struct fpu_image *img)
{
	__asm__ volatile("fnsave %0\n\tfrstor %0" : "+m"(*img));
}

static void load(const struct fpu_image *img)
{
	__asm__ volatile("frstor %0" : : "m"(*img));
}

static int same_state(const struct fpu_image *a, const struct fpu_image *b)
{
	return a->cw == b->cw && a->sw == b->sw && a->tw == b->tw &&
	       memcmp(a->st, b->st, sizeof a->st) == 0;
}

/* Load thread k's state and return it as the FPU keeps it (the reserved
 * bits and tags as this CPU stores them). */
static void load_own(int k, struct fpu_image *ref)
{
	struct fpu_image want;
	build(k, &want);
	load(&want);
	snapshot(ref);
	CHECK(memcmp(ref->st, want.st, sizeof want.st) == 0);
	CHECK((ref->cw & 0x0F3F) == (want.cw & 0x0F3F));
	CHECK((ref->sw & 0x7F3F) == (want.sw & 0x7F3F));
}

static void describe(int k, const struct fpu_image *got, const struct fpu_image *ref)
{
	int who = got->st[0][6] - 1, reg = got->st[0][5] - 1;
	tprintf("fpu_threads: thread %d (tid %d): cw %04x sw %04x tw %04x, "
		"want cw %04x sw %04x tw %04x; st0 is %s %d's st%d\n",
		k, gettid(), got->cw, got->sw, got->tw, ref->cw, ref->sw, ref->tw,
		who == k ? "its own" : "thread", who, reg);
}

struct tally {
	unsigned checks, bad, first_bad;	/* first_bad: ticks into the mode */
};

/* Thread k's work: keep its state through waits until tick until. */
static void keep(int k, unsigned start, unsigned until, struct tally *t)
{
	struct fpu_image ref, now;
	load_own(k, &ref);
	for (unsigned n = 0; get_ticks() < until; n++) {
		if (n % SLEEP_EVERY == SLEEP_EVERY - 1)
			sleep(1);
		else
			yield(-1);
		snapshot(&now);
		t->checks++;
		if (same_state(&now, &ref))
			continue;
		if (t->bad++ == 0)
			t->first_bad = get_ticks() - start;
		if (t->bad <= REPORTS)
			describe(k, &now, &ref);
		load(&ref);
	}
}

static struct fpu_image parent;		/* the state the task was forked with */
static unsigned start, until;		/* this mode's ticks */
static int task_index;
static struct tally tallies[THREADS];	/* one slot per thread */

/* A new thread starts with its creator's state: the parent's. */
static int inherited(void)
{
	struct fpu_image now;
	snapshot(&now);
	return same_state(&now, &parent);
}

static void *worker(void *arg)
{
	int i = (int)arg;
	CHECK(inherited());
	keep(task_index * THREADS + i, start, until, &tallies[i]);
	return NULL;
}

/* One task's part of a mode; its exit status is its corruptions. */
static void __attribute__((__noreturn__)) task_body(void)
{
	CHECK(inherited());
	CHECK(thr_init(STACK) == 0);
	int tids[THREADS];
	for (int i = 1; i < THREADS; i++)
		CHECK((tids[i] = thr_create(worker, (void *)i)) > 0);
	keep(task_index * THREADS, start, until, &tallies[0]);
	struct tally sum = { 0, 0, 0 };
	for (int i = 0; i < THREADS; i++) {
		if (i > 0)
			CHECK(thr_join(tids[i], NULL) == 0);
		sum.checks += tallies[i].checks;
		sum.bad += tallies[i].bad;
		if (tallies[i].bad && (!sum.first_bad || tallies[i].first_bad < sum.first_bad))
			sum.first_bad = tallies[i].first_bad;
	}
	tprintf("fpu_threads: task %d: %u checks, %u corrupt (first after %u ticks)\n",
		task_index, sum.checks, sum.bad, sum.first_bad);
	CHECK(sum.bad == 0);
	exit(sum.bad > 100 ? 100 : (int)sum.bad);
}

static void run_mode(int mode)
{
	tprintf("misbehave mode %d\n", mode);
	misbehave(mode);
	start = get_ticks();
	until = start + (mode_ticks ? mode_ticks : mode == 2 ? SLICE_TICKS : MODE_TICKS);
	int pids[TASKS];
	for (int t = 0; t < TASKS; t++) {
		task_index = t;
		pids[t] = fork();
		if (pids[t] == 0)
			task_body();
		CHECK(pids[t] > 0);
	}
	for (int t = 0; t < TASKS; t++) {
		int status = -1;
		CHECK(wait(&status) > 0);
		CHECK(status == 0);
	}
}

int main(int argc, char **argv)
{
	int only = -1;
	for (int i = 1; i < argc; i++) {	/* for measuring */
		if (strncmp(argv[i], "ticks=", 6) == 0)
			mode_ticks = (unsigned)atoi(argv[i] + 6);
		if (strncmp(argv[i], "mode=", 5) == 0)
			only = atoi(argv[i] + 5);
	}
	kstat_t base;
	test_baseline(&base);
	load_own(PARENT, &parent);
	for (int mode = 0; mode < MODES; mode++)
		if (only < 0 || mode == only)
			run_mode(mode);
	misbehave(0);
	CHECK(test_baseline_same(&base));
	test_done();
}
