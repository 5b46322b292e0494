/*
 * ktest.c: find and run one in-kernel test (see ktest.h).
 */
#include "debug/ktest.h"
#include "dev/power.h"
#include "lib/kprintf.h"
#include "lib/string.h"

extern const struct ktest __ktests_start[], __ktests_end[];

/* Lock tags (docs/sync.md): [o] owner. */
static int failures;	/* [o] the KTEST's thread's */

bool ktest_check(bool ok, const char *expr, const char *file, int line)
{
	if (!ok) {
		failures++;
		kprintf("KTEST CHECK FAILED: %s (%s:%d)\n", expr, file, line);
	}
	return ok;
}

void ktest_run(const char *name)
{
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (strcmp(t->name, name) != 0)
			continue;
		kprintf("KTEST START %s\n", name);
		t->fn();
		kprintf("KTEST %s %s\n", failures ? "FAIL" : "PASS", name);
		machine_poweroff(failures ? FABLE_EXIT_FAIL : FABLE_EXIT_PASS);
	}
	kprintf("KTEST FAIL %s: no such test\n", name);
	machine_poweroff(FABLE_EXIT_FAIL);
}
