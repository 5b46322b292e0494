/* time_calls.c: get_ticks advances, sleep(n) waits at least n ticks,
 * sleep(0) returns at once, sleep(-1) fails; yield to nobody fails. */
#include <syscall.h>
#include "testlib.h"

int main(void)
{
	unsigned t0 = get_ticks();
	CHECK(sleep(10) == 0);
	unsigned t1 = get_ticks();
	CHECK(t1 - t0 >= 10);
	CHECK(sleep(0) == 0);
	CHECK(sleep(-1) < 0);
	CHECK(yield(-1) == 0);
	CHECK(yield(gettid()) == 0);
	CHECK(yield(999999) < 0);
	CHECK(make_runnable(gettid()) < 0);	/* running, not descheduled */
	CHECK(make_runnable(999999) < 0);
	test_done();
}
