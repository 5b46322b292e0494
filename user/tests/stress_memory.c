/* runner: timeout=120 */
/*
 * stress_memory.c: memory runs out in several tasks at once. Three
 * tasks take every frame they can with new_pages (chunks halving from
 * 256 MiB to a page) and write to every page, while two others recurse
 * with 64 KiB frames so that their stacks grow (autostack) until a
 * growth fails and the kernel kills them (status -2). The grabbers then
 * find their pages intact, give them back and exit 0. Twice; afterwards
 * fork still works and every frame and heap byte is back.
 */
#include <stdlib.h>
#include <syscall.h>
#include "stress.h"
#include "testlib.h"

#define GRABBERS 3
#define CLIMBERS 2
#define ROUNDS 2
#define SPAN 0x30000000u		/* each grabber's share of addresses */
#define FIRST_CHUNK 0x10000000u
#define HOLD_TICKS 100			/* grabbers hold their memory this long */
#define MAX_REGIONS 64
#define FRAME (64 * 1024)
#define START_TICKS 20			/* every task is forked before any starts */

static unsigned region[MAX_REGIONS], length[MAX_REGIONS];
static volatile int deeper = 1;		/* hides the endless recursion from gcc */
static unsigned start;			/* tick at which the children start */

/* Every page of [addr, addr + len) holds its own address, or gets it. */
static int pages(unsigned addr, unsigned len, int write)
{
	for (unsigned p = addr; p - addr < len; p += PAGE_SIZE) {
		if (write)
			*(volatile unsigned *)p = p;
		else if (*(volatile unsigned *)p != p)
			return 0;
	}
	return 1;
}

static void grab(int i)
{
	unsigned addr = 0x40000000u + i * SPAN, chunk = FIRST_CHUNK;
	int n = 0, ok = 1;
	while (chunk >= PAGE_SIZE && n < MAX_REGIONS) {
		if (addr - 0x40000000u - i * SPAN + chunk <= SPAN &&
		    new_pages((void *)addr, chunk) == 0) {
			pages(addr, chunk, 1);
			region[n] = addr, length[n++] = chunk;
			addr += chunk;
		} else {
			chunk /= 2;
		}
	}
	sleep(HOLD_TICKS);
	for (int r = 0; r < n; r++)
		ok &= pages(region[r], length[r], 0) && remove_pages((void *)region[r]) == 0;
	exit(ok ? 0 : 1);
}

static int climb(int depth)
{
	volatile char frame[FRAME];
	frame[0] = frame[FRAME - 1] = (char)depth;
	return (deeper ? climb(depth + 1) : 0) + frame[0];
}

static int spawn(int i)
{
	int pid = fork();
	if (pid == 0) {
		sleep(start - get_ticks());
		if (i < GRABBERS)
			grab(i);
		exit(climb(0));
	}
	return pid;
}

static void round_once(int round)
{
	int grabbed_ok = 0, killed = 0, status;
	start = get_ticks() + START_TICKS;
	for (int i = 0; i < GRABBERS + CLIMBERS; i++)
		CHECK(spawn(i) > 0);
	for (int i = 0; i < GRABBERS + CLIMBERS; i++) {
		CHECK(wait(&status) > 0);
		grabbed_ok += status == 0;
		killed += status == -2;
	}
	tprintf("stress_memory: round %d: %d grabbers fine, %d climbers killed\n", round,
		grabbed_ok, killed);
	CHECK(grabbed_ok == GRABBERS && killed == CLIMBERS);
}

int main(void)
{
	kstat_t base;
	int status = -1;
	stress_begin(&base);
	for (int r = 0; r < ROUNDS; r++)
		round_once(r);
	int pid = fork();
	if (pid == 0)
		exit(7);
	CHECK(pid > 0 && wait(&status) == pid && status == 7);
	stress_end(&base);
}
