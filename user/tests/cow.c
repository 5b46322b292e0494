/* cow.c: fork shares pages copy-on-write: the child's writes are not
 * seen by the parent and vice versa, and reads share. (Frames for the
 * copies are reserved at fork time, so free_frames does not move at the
 * first write; fork_frames checks the cost of fork itself.) */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

static int shared[1024] = { 1 };	/* .data */
static char bss_page[4096] __attribute__((aligned(4096)));

static unsigned free_frames(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k.free_frames;
}

int main(void)
{
	bss_page[0] = 'p';
	shared[0] = 10;
	int pid = fork();
	if (pid == 0) {
		unsigned before = free_frames();
		int ok = shared[0] == 10 && bss_page[0] == 'p';
		shared[0] = 20;			/* first write: a private copy */
		ok &= shared[0] == 20;
		ok &= free_frames() == before;	/* from the fork's reservation */
		sleep(5);	/* the parent writes meanwhile */
		ok &= shared[0] == 20;
		exit(ok ? 0 : 1);
	}
	CHECK(pid > 0);
	sleep(2);
	shared[0] = 30;
	bss_page[0] = 'q';
	int status = -1;
	CHECK(wait(&status) == pid);
	CHECK(status == 0);
	CHECK(shared[0] == 30 && bss_page[0] == 'q');
	test_done();
}
