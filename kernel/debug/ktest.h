/*
 * ktest.h: tests that run inside the kernel.
 *
 * The runner boots the kernel with `ktest=NAME`; after boot the kernel
 * runs that test, prints "KTEST PASS NAME" or "KTEST FAIL NAME" on the
 * serial log and powers off with FABLE_EXIT_PASS or FABLE_EXIT_FAIL.
 * A test is a function declared with KTEST(name) anywhere in the kernel;
 * the linker gathers them in section .ktests.
 */
#ifndef DEBUG_KTEST_H
#define DEBUG_KTEST_H

#include <stdbool.h>

struct ktest {
	const char *name;
	void (*fn)(void);
};

#define KTEST(tname)							\
	static void ktest_##tname(void);				\
	static const struct ktest ktest_entry_##tname			\
	__attribute__((section(".ktests"), used, aligned(4))) =		\
		{ #tname, ktest_##tname };				\
	static void ktest_##tname(void)

/* Record a failed check (with its expression) unless ok. */
#define KCHECK(e) ktest_check((e), #e, __FILE__, __LINE__)
bool ktest_check(bool ok, const char *expr, const char *file, int line);

/* Run test name and power off with its verdict; never returns. */
void ktest_run(const char *name) __attribute__((noreturn));

#endif
