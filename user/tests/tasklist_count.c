/* tasklist_count.c: tasklist with max == 0 only counts the tasks and
 * does not look at the buffer (fable.h): NULL, a kernel address and an
 * unmapped one all get the count. With max > 0 the buffer must be
 * writable, and a buffer too small still gets the full count. */
#include <stddef.h>
#include <syscall.h>
#include "testlib.h"

#define MAXTASKS 64

static task_info_t info[MAXTASKS];

int main(void)
{
	int n = tasklist(info, MAXTASKS);
	tprintf("tasklist_count: %d tasks\n", n);
	CHECK(n >= 2);	/* leakcheck and this test at least */
	CHECK(tasklist(NULL, 0) == n);
	CHECK(tasklist((task_info_t *)0x500000, 0) == n);
	CHECK(tasklist((task_info_t *)0xDEAD0000, 0) == n);
	CHECK(tasklist(info, 1) == n);
	CHECK(tasklist(NULL, 1) < 0);
	CHECK(tasklist((task_info_t *)0x500000, 1) < 0);
	CHECK(tasklist(info, -1) < 0);
	test_done();
}
