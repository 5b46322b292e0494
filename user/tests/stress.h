/*
 * stress.h: what the stress programs (stress_*.c) and the fuzzer share.
 *
 * stress_begin takes the kernel's baseline; stress_end checks (in the
 * guest, while the task still lives) that free frames, heap bytes, tasks
 * and threads are back at it, and ends the test. leakcheck checks them
 * again once the task is gone, and the runner reads what it printed.
 */
#ifndef USER_TESTS_STRESS_H
#define USER_TESTS_STRESS_H

#include <fable.h>
#include <syscall.h>
#include "testlib.h"

static inline void stress_begin(kstat_t *base)
{
	test_baseline(base);
}

static inline void __attribute__((__noreturn__)) stress_end(const kstat_t *base)
{
	CHECK(test_baseline_same(base));
	test_done();
}

#endif
