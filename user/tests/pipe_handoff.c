/* pipe_handoff.c: the hand-off (docs/scheduling.md). A write that wakes
 * a pipe's reader, when that reader is the one thread waiting to run,
 * lets it run before the write returns. Either side's write can be the
 * one that hands off: the echo's answer is already in the other pipe
 * when the asker's write returns, or the asker's next byte already in
 * the first pipe when the echo's write returns (which of the two settles
 * in depends on where a timer tick fell, and each is stable). A round
 * counts if either is seen. With a third thread waiting to run the
 * reader does not jump the queue: neither is seen. A tick between a
 * write and the look can change a round either way, so each case asks
 * for nine rounds in ten. (One CPU runs threads, cpus=1, and a normal
 * kernel: a debug one yields at random after mutex releases.) */
/* runner: cpus=1 */
#include <stdlib.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define ROUNDS 100

/* An echo task: each byte from to[0] back into back[1], until the end.
 * Its exit status: the rounds whose next byte was in to[0] as soon as
 * its answer's write returned. */
static int start_echo(int to[2], int back[2])
{
	CHECK(pipe(to) == 0 && pipe(back) == 0);
	int pid = fork();
	if (pid == 0) {
		char c;
		int n = 0;
		fable_stat_t st;
		close(to[1]);
		close(back[0]);
		while (read(to[0], &c, 1) == 1) {
			write(back[1], &c, 1);
			n += fstat(to[0], &st) == 0 && st.size == 1;
		}
		exit(n);
	}
	CHECK(pid > 0);
	close(to[0]);
	close(back[1]);
	return pid;
}

/* A task that stays runnable (a system call a turn) until stop[0] has a
 * byte to read. */
static int start_spinner(int stop[2])
{
	CHECK(pipe(stop) == 0);
	int pid = fork();
	if (pid == 0) {
		fable_stat_t st;
		close(stop[1]);
		while (fstat(stop[0], &st) == 0 && st.size == 0)
			;
		exit(0);
	}
	CHECK(pid > 0);
	close(stop[0]);
	return pid;
}

/* Rounds of ROUNDS in which one side's write handed off: the answer was
 * there as soon as our write returned, or the echo saw our next byte as
 * soon as its own write returned. */
static int answered_at_once(void)
{
	int to[2], back[2], n = 0, status;
	char c;
	int pid = start_echo(to, back);
	for (int i = 0; i < ROUNDS; i++) {
		fable_stat_t st;
		c = (char)i;
		CHECK(write(to[1], &c, 1) == 1);
		CHECK(fstat(back[0], &st) == 0);
		n += st.size == 1;
		CHECK(read(back[0], &c, 1) == 1 && c == (char)i);
	}
	close(to[1]);
	CHECK(read(back[0], &c, 1) == 0 && close(back[0]) == 0);
	CHECK(wait(&status) == pid);
	return n + status;
}

int main(void)
{
	int alone = answered_at_once();
	tprintf("echo alone: %d of %d rounds handed off\n", alone, ROUNDS);
	CHECK(alone >= ROUNDS * 9 / 10);

	int stop[2];
	int spinner = start_spinner(stop);
	int crowded = answered_at_once();
	tprintf("echo beside a spinner: %d of %d\n", crowded, ROUNDS);
	CHECK(crowded <= ROUNDS / 10);
	CHECK(write(stop[1], "x", 1) == 1 && close(stop[1]) == 0);
	CHECK(wait(NULL) == spinner);
	test_done();
}
