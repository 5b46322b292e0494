/* runner: timeout=120 */
/* kstat_cpus.c: kstat's per-CPU records (docs/abi/fable.md §3). In every
 * snapshot the records add up to the sums before them (switches, IPIs,
 * shootdowns, idle cycles); 1 to KSTAT_CPUS CPUs run, and the records
 * past them are zeros; each CPU's idle time grows while this task
 * sleeps. Then a child task keeps a thread busy (on another CPU if there
 * is one) while it removes pages that thread's CPU may cache: on two
 * CPUs or more, some CPU has started TLB shootdowns and sent at least as
 * many IPIs, and two CPUs have switched to threads; on one CPU no CPU
 * sent an IPI or shot down. Argument cpus=N: exactly N CPUs run. */
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define BASE 0x40000000u
#define ROUNDS 300	/* on one CPU a tenth: each round waits a slice */

static volatile unsigned spins;	/* [spinner] */
static char spin_stack[4096] __attribute__((aligned(16)));

static unsigned long long idle_of(const kstat_cpu_t *c)
{
	return c->idle_tsc_lo | (unsigned long long)c->idle_tsc_hi << 32;
}

/* A snapshot, checked: its records add up to its sums, and those of
 * the CPUs that do not run are zeros. */
static kstat_t snap(void)
{
	kstat_t k;
	memset(&k, 0, sizeof k);
	k.size = sizeof k;
	CHECK(kstat(&k) == 0 && k.size == sizeof k);
	CHECK(k.cpus >= 1 && k.cpus <= KSTAT_CPUS);
	unsigned switches = 0, ipis = 0, shootdowns = 0;
	unsigned long long idle = 0;
	static const kstat_cpu_t zero;
	for (unsigned i = 0; i < KSTAT_CPUS; i++) {
		const kstat_cpu_t *c = &k.cpu[i];
		if (i >= k.cpus) {
			CHECK(memcmp(c, &zero, sizeof zero) == 0);
			continue;
		}
		CHECK(idle_of(c) > 0);	/* each starts in its idle thread */
		switches += c->context_switches;
		ipis += c->ipis;
		shootdowns += c->tlb_shootdowns;
		idle += idle_of(c);
	}
	CHECK(switches == k.context_switches && ipis == k.ipis &&
	      shootdowns == k.tlb_shootdowns);
	CHECK(idle == (k.idle_tsc_lo | (unsigned long long)k.idle_tsc_hi << 32));
	return k;
}

static void spinner(void *arg)
{
	(void)arg;
	for (;;)
		spins++;
}

/* In a child task: each round, once the spinner has run again, map,
 * touch and remove a page of the space the spinner's CPU has loaded. */
static void busy_child(int rounds)
{
	if (thread_fork_on(spin_stack + sizeof spin_stack, spinner, NULL) < 0)
		exit(10);
	for (int i = 0; i < rounds; i++) {
		unsigned s = spins;
		while (spins == s)
			yield(-1);
		if (new_pages((void *)BASE, PAGE_SIZE) < 0)
			exit(11);
		*(volatile int *)BASE = i;
		if (remove_pages((void *)BASE) < 0)
			exit(12);
	}
	exit(0);	/* ends the spinner */
}

/* Each CPU's idle time grows while nothing runs. */
static void idle_grows(void)
{
	kstat_t a = snap();
	sleep(20);
	kstat_t b = snap();
	CHECK(a.cpus == b.cpus);
	for (unsigned i = 0; i < b.cpus; i++)
		CHECK(idle_of(&b.cpu[i]) > idle_of(&a.cpu[i]));
}

static void busy(void)
{
	kstat_t a = snap();
	int pid = fork();
	if (pid == 0)
		busy_child(a.cpus > 1 ? ROUNDS : ROUNDS / 10);
	int status = 99;
	CHECK(pid > 0 && wait(&status) == pid && status == 0);
	kstat_t b = snap();
	unsigned shooters = 0, switched = 0;
	for (unsigned i = 0; i < b.cpus; i++) {
		const kstat_cpu_t *x = &a.cpu[i], *y = &b.cpu[i];
		unsigned shot = y->tlb_shootdowns - x->tlb_shootdowns;
		shooters += shot > 0;
		CHECK(y->ipis - x->ipis >= shot);	/* each sent one at least */
		switched += y->context_switches > 0;
	}
	if (b.cpus == 1) {
		CHECK(b.ipis == 0 && b.tlb_shootdowns == 0);
		CHECK(switched == 1);
	} else {
		CHECK(shooters >= 1 && switched >= 2);
	}
	tprintf("kstat_cpus: %u cpus, %u shot down, %u switched\n", b.cpus, shooters, switched);
}

int main(int argc, char **argv)
{
	kstat_t base;
	test_baseline(&base);
	kstat_t k = snap();
	if (argc > 1 && strncmp(argv[1], "cpus=", 5) == 0)
		CHECK(k.cpus == (unsigned)atoi(argv[1] + 5));
	idle_grows();
	busy();
	CHECK(test_baseline_same(&base));
	test_done();
}
