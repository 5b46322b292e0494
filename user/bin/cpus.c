/*
 * cpus.c: each CPU's own counters, from kstat (docs/smp.md): the share
 * of the time since boot its idle thread had, the context switches it
 * made, the IPIs it sent and the TLB shootdowns it started. The time
 * since boot is the time-stamp counter's, which starts at 0 with the
 * machine; a CPU started later counts as busy until it started.
 */
#include <fable.h>
#include <stdio.h>
#include <syscall.h>

static unsigned long long rdtsc(void)
{
	unsigned long long t;
	__asm__ volatile("rdtsc" : "=A"(t));
	return t;
}

/* idle of now cycles, in tenths of a percent. */
static unsigned tenths(unsigned long long idle, unsigned long long now)
{
	if (idle > now)
		idle = now;	/* another CPU's counter may run a little ahead */
	return now ? (unsigned)(idle * 1000 / now) : 0;
}

int main(void)
{
	kstat_t k = { .size = sizeof k };
	if (kstat(&k) < 0 || k.size < sizeof k) {
		printf("cpus: kstat failed or has no per-CPU counters\n");
		return 1;
	}
	unsigned long long now = rdtsc();
	printf("%3s %7s %10s %10s %10s\n", "cpu", "idle%", "switches", "ipis", "shootdowns");
	for (unsigned i = 0; i < k.cpus && i < KSTAT_CPUS; i++) {
		const kstat_cpu_t *c = &k.cpu[i];
		unsigned t = tenths(c->idle_tsc_lo | (unsigned long long)c->idle_tsc_hi << 32, now);
		printf("%3u %5u.%u %10u %10u %10u\n", i, t / 10, t % 10, c->context_switches,
		       c->ipis, c->tlb_shootdowns);
	}
	return 0;
}
