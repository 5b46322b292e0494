/*
 * stress.h: what the stress programs (stress_*.c) and the fuzzer share.
 *
 * stress_begin takes the kernel's baseline and prints it; stress_end
 * checks (in the guest) that free frames, heap bytes, tasks and threads
 * are back at it, prints them again, and ends the test. The runner
 * compares the two lines as well (tests/cases_fuzz.py):
 *
 *   kstat before: free_frames=N heap=N tasks=N threads=N
 *   kstat after: free_frames=N heap=N tasks=N threads=N
 *
 * Started from the shell with the argument "shell", a program ends with
 * exit() instead of powering the machine off, so the shell must go on
 * working after it.
 */
#ifndef USER_TESTS_STRESS_H
#define USER_TESTS_STRESS_H

#include <fable.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

static inline void stress_print_kstat(const char *when)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	tprintf("\nkstat %s: free_frames=%u heap=%u tasks=%u threads=%u\n", when,
		k.free_frames, k.kernel_heap_bytes_in_use, k.tasks, k.threads);
}

/* Was the program started from the shell ("shell" among its arguments)? */
static inline int stress_from_shell(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "shell"))
			return 1;
	return 0;
}

static inline void stress_begin(kstat_t *base)
{
	test_baseline(base);
	stress_print_kstat("before");
}

static inline void __attribute__((__noreturn__)) stress_end(const kstat_t *base, int shell)
{
	CHECK(test_baseline_same(base));
	stress_print_kstat("after");
	if (shell)
		test_exit();
	test_done();
}

#endif
