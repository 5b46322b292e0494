/* smoke.c: the smallest test: printf works, gettid is positive, we pass. */
#include <stdio.h>
#include <syscall.h>
#include "testlib.h"

int main(void)
{
	printf("Hello from the smoke test\n");
	tprintf("smoke: tid %d\n", gettid());
	CHECK(gettid() > 0);
	test_done();
}
