/* runner: timeout=90 */
/*
 * stress_threads.c: the thread bomb. A task calls thread_fork until it
 * fails; every child blocks at once in deschedule, touching no stack.
 * thread_fork must then fail cleanly (negative, nothing made), the
 * kernel must go on serving calls, and once the threads are released
 * and all vanish, every byte of kernel memory is back: a second bomb
 * gets as many threads as the first. Twice, then the task is reaped and
 * the kernel's counters are back at their baseline.
 */
#include <stdlib.h>
#include <syscall.h>
#include "stress.h"
#include "testlib.h"

#define MAX_THREADS 50000
#define ROUNDS 2
#define SETTLE_TRIES 500

static volatile int release;	/* the children vanish once it is set */
static int tids[MAX_THREADS];

/*
 * bomb_fork: thread_fork; returns the new tid (or a negative value) in
 * the parent. The child waits with deschedule(&release) until release
 * is set, then vanishes; it only uses registers.
 */
int bomb_fork(void);
__asm__(".text\n"
	"bomb_fork:\n"
	"	pushl %esi\n"
	"	int $0x52\n"
	"	testl %eax, %eax\n	jz 1f\n"
	"	popl %esi\n	ret\n"
	"1:	movl $release, %esi\n"
	"2:	int $0x46\n"
	"	cmpl $0, release\n	je 2b\n"
	"	int $0x60\n");

static unsigned threads_now(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k.threads;
}

/* Release every child and wait until only we are left. */
static int release_all(int n, unsigned before)
{
	release = 1;
	for (int i = 0; i < n; i++)
		make_runnable(tids[i]);	/* fails for those not asleep yet: fine */
	for (int tries = 0; tries < SETTLE_TRIES; tries++) {
		if (threads_now() == before)
			return 1;
		sleep(1);
	}
	return 0;
}

/* One bomb; returns how many threads it made. */
static int bomb(void)
{
	unsigned before = threads_now();
	int n = 0, tid;
	release = 0;
	while ((tid = bomb_fork()) > 0 && n < MAX_THREADS)
		tids[n++] = tid;
	CHECK(tid < 0);			/* it failed before our table filled */
	CHECK(gettid() > 0);		/* the kernel still answers */
	CHECK(threads_now() == before + n);	/* the failed call made nothing */
	CHECK(release_all(n, before));
	tprintf("stress_threads: %d threads before thread_fork failed\n", n);
	return n;
}

static void bombs(void)
{
	int first = bomb();
	CHECK(first >= 256);
	for (int r = 1; r < ROUNDS; r++) {
		int again = bomb();
		CHECK(again >= first - first / 10 && again <= first + first / 10);
	}
}

int main(void)
{
	kstat_t base;
	stress_begin(&base);
	test_in_child(bombs);
	stress_end(&base);
}
