/* runner: timeout=90 */
/*
 * thread_headroom.c: the kernel's 16 MiB pool has room for well over a
 * thousand threads (the benchmark's yield_1000 row needs 1,000 of them
 * and some tasks besides). Each thread costs about 3.2 kernel pages (its
 * 8 KiB stack and guard page, its structure), and the pool is what the
 * kernel image and the frame map leave of the low 16 MiB. Measured:
 * 1,172, 1,157 and 1,097 threads at 64, 256 and 1,024 MiB; 987, 972 and
 * fewer when the RAM disk's 2.2 MB were part of the image
 * (docs/memory.md, "The RAM disk"). A task makes threads until
 * thread_fork fails, checks it made at least MIN_THREADS, releases them
 * and checks that every one is gone and every byte is back (stress_end,
 * then leakcheck).
 */
#include <syscall.h>
#include "stress.h"
#include "testlib.h"

#define MIN_THREADS 1050
#define MAX_THREADS 4096	/* far above what 16 MiB can hold */
#define SETTLE_TRIES 500

static volatile int go;	/* the threads vanish once it is set */
static int tids[MAX_THREADS];

/*
 * park_fork: thread_fork; the parent gets the new tid or a negative
 * error. The child, which shares our stack, touches no memory but go:
 * it deschedules until go is set, then vanishes.
 */
int park_fork(void);
__asm__(".text\n"
	"park_fork:\n"
	"	pushl %esi\n"
	"	int $0x52\n"		/* thread_fork */
	"	testl %eax, %eax\n	jz 1f\n"
	"	popl %esi\n	ret\n"
	"1:	movl $go, %esi\n"
	"2:	int $0x46\n"		/* deschedule(&go) */
	"	cmpl $0, go\n	je 2b\n"
	"	int $0x60\n");		/* vanish */

static unsigned threads_now(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k.threads;
}

static void headroom(void)
{
	unsigned before = threads_now();
	int n = 0, tid = 0;
	while (n < MAX_THREADS && (tid = park_fork()) > 0)
		tids[n++] = tid;
	tprintf("thread_headroom: %d threads before thread_fork failed\n", n);
	CHECK(tid < 0);
	CHECK(n >= MIN_THREADS);
	CHECK(threads_now() == before + n);
	go = 1;
	for (int i = 0; i < n; i++)
		make_runnable(tids[i]);	/* fails for those not asleep yet: fine */
	int tries = 0;
	while (threads_now() != before && tries++ < SETTLE_TRIES)
		sleep(1);
	CHECK(threads_now() == before);
}

int main(void)
{
	kstat_t base;
	stress_begin(&base);
	test_in_child(headroom);
	stress_end(&base);
}
