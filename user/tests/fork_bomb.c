/* fork_bomb.c: for three seconds every task forks as fast as it can, its
 * children too. Fork must start to fail (never crash or wedge the kernel);
 * then every task exits, every orphan comes back to us (we are init), and
 * every frame and heap byte is back. */
/* runner: timeout=120 init=1 */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define BOMB_TICKS 300

static void bomb(unsigned deadline)
{
	int failed = 0;
	while (get_ticks() < deadline)
		if (fork() < 0)
			failed = 1;
	exit(failed);
}

int main(void)
{
	kstat_t base;
	test_as_init();
	test_baseline(&base);
	if (fork() == 0)
		bomb(get_ticks() + BOMB_TICKS);
	int reaped = 0, failed = 0, status;
	while (wait(&status) > 0) {
		reaped++;
		failed += status == 1;
	}
	tprintf("fork_bomb: reaped %d tasks, %d saw fork fail\n", reaped, failed);
	CHECK(reaped > 10);
	CHECK(failed > 0);
	CHECK(test_baseline_same(&base));
	test_done();
}
