/* fork_cycles.c: 1,000 fork / exit(42) / wait cycles; afterwards every
 * frame and heap byte is back. */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	for (int i = 0; i < 1000; i++) {
		int pid = fork();
		if (pid == 0)
			exit(42);
		int status = 0;
		if (!CHECK(pid > 0) || !CHECK(wait(&status) == pid) || !CHECK(status == 42))
			break;
	}
	CHECK(test_baseline_same(&base));
	test_done();
}
