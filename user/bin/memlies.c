/*
 * memlies.c: the lie "memory is all the same" (docs/lie-memory.md).
 *
 *   memlies [N [ROUNDS]]     N x N ints (default 1024), ROUNDS rounds (3)
 *
 * Fills one N x N int array row by row, then column by column, and times
 * both with rdtsc and get_ticks. Both orders do the same work on the same
 * bytes; only the order of the addresses differs. The program then says
 * which machine it ran on, because the reason for the difference depends
 * on it: on hardware, caches and the TLB; under QEMU's software emulation
 * (TCG), mostly QEMU's own software TLB.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define ARRAY_BASE 0x40000000u	/* where new_pages puts the array */
#define DEFAULT_N 1024
#define DEFAULT_ROUNDS 3
#define MAX_N 4096		/* 64 MiB of ints: a quarter of the machine */
#define MAX_ROUNDS 20

/* The best (smallest) time of each order over all rounds. */
struct best {
	uint64_t row_cycles, col_cycles;
	unsigned row_ticks, col_ticks;
};

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

/* The 12-byte vendor name a hypervisor reports at leaf 0x40000000, or ""
 * on a CPU that says it runs on bare hardware (CPUID.1:ECX bit 31 clear). */
static void hypervisor_name(char out[13])
{
	uint32_t r[4];
	out[0] = '\0';
	cpuid(1, r);
	if (!(r[2] & (1u << 31)))
		return;
	cpuid(0x40000000, r);
	memcpy(out, &r[1], 4);
	memcpy(out + 4, &r[2], 4);
	memcpy(out + 8, &r[3], 4);
	out[12] = '\0';
}

/* The 48-byte processor brand string, or "" if the CPU has none. */
static void brand_name(char out[49])
{
	uint32_t r[4];
	out[0] = '\0';
	cpuid(0x80000000, r);
	if (r[0] < 0x80000004)
		return;
	for (uint32_t i = 0; i < 3; i++) {
		cpuid(0x80000002 + i, r);
		memcpy(out + 16 * i, r, 16);
	}
	out[48] = '\0';
}

/* Say where we run and therefore what the ratio measures. */
static void explain_platform(void)
{
	char hv[13], brand[49];
	hypervisor_name(hv);
	brand_name(brand);
	printf("cpu: \"%s\", hypervisor: \"%s\"\n", brand, hv);
	if (!strcmp(hv, "TCGTCGTCGTCG") || (!hv[0] && strstr(brand, "QEMU"))) {
		printf("platform: QEMU software emulation (TCG).\n");
		printf("  QEMU translates every guest load and store through its own\n");
		printf("  software TLB; a miss costs a page-table walk in C. Column\n");
		printf("  order touches a new page at nearly every access, so what\n");
		printf("  you see is mostly the emulated TLB, not a cache.\n");
	} else if (hv[0]) {
		printf("platform: hardware virtualisation (%s).\n", hv);
		printf("  Loads run on the real CPU: its caches and TLB make the\n");
		printf("  difference, and a TLB miss walks two levels of page tables.\n");
	} else {
		printf("platform: real hardware.\n");
		printf("  Row order uses every byte of each 64-byte cache line it\n");
		printf("  fetches; column order uses 4 and, with rows of a page or\n");
		printf("  more, needs a new TLB entry at nearly every access.\n");
	}
}

static void fill_rows(int *a, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			a[i * n + j] = i + j;
}

static void fill_columns(int *a, int n)
{
	for (int j = 0; j < n; j++)
		for (int i = 0; i < n; i++)
			a[i * n + j] = i + j;
}

/* Time fill(a, n): cycles from rdtsc, ticks (10 ms) from the kernel. */
static uint64_t timed(void (*fill)(int *, int), int *a, int n, unsigned *ticks)
{
	unsigned k0 = get_ticks();
	uint64_t t0 = rdtsc();
	fill(a, n);
	uint64_t t1 = rdtsc();
	*ticks = get_ticks() - k0;
	return t1 - t0;
}

/* x / y as "12.34", without floating point. */
static void print_ratio(const char *what, uint64_t x, uint64_t y)
{
	uint64_t hundredths = y ? x * 100 / y : 0;
	printf("%s%llu.%02llux\n", what, hundredths / 100, hundredths % 100);
}

/* One round: both orders once; keeps the best of each in *b. */
static void round_once(int r, int *a, int n, struct best *b)
{
	unsigned rt, ct;
	uint64_t row = timed(fill_rows, a, n, &rt);
	uint64_t col = timed(fill_columns, a, n, &ct);
	printf("round %d: row-major %llu cycles (%u ticks), column-major %llu cycles (%u ticks), ",
	       r, row, rt, col, ct);
	print_ratio("ratio ", col, row);
	if (r == 1 || row < b->row_cycles)
		b->row_cycles = row, b->row_ticks = rt;
	if (r == 1 || col < b->col_cycles)
		b->col_cycles = col, b->col_ticks = ct;
}

/* A number from argv[i], or def; exits on one outside [lo, hi]. */
static int arg_or(int argc, char **argv, int i, int def, int lo, int hi)
{
	if (argc <= i)
		return def;
	int v = atoi(argv[i]);
	if (v < lo || v > hi) {
		printf("memlies: argument %d must be %d..%d\n", i, lo, hi);
		exit(-1);
	}
	return v;
}

int main(int argc, char **argv)
{
	int n = arg_or(argc, argv, 1, DEFAULT_N, 16, MAX_N);
	int rounds = arg_or(argc, argv, 2, DEFAULT_ROUNDS, 1, MAX_ROUNDS);
	int bytes = (n * n * (int)sizeof(int) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	int *a = (int *)ARRAY_BASE;
	if (new_pages(a, bytes) < 0) {
		printf("memlies: no memory for %d x %d ints\n", n, n);
		return -1;
	}
	printf("memlies: %d x %d ints (%d KiB), rows of %d bytes\n", n, n, bytes / 1024,
	       n * (int)sizeof(int));
	fill_rows(a, n);	/* first touch: page faults, not the lie we time */
	struct best b = { 0, 0, 0, 0 };
	for (int r = 1; r <= rounds; r++)
		round_once(r, a, n, &b);
	printf("best: row-major %llu cycles (%u ticks), column-major %llu cycles (%u ticks)\n",
	       b.row_cycles, b.row_ticks, b.col_cycles, b.col_ticks);
	print_ratio("column-major / row-major: ", b.col_cycles, b.row_cycles);
	explain_platform();
	remove_pages(a);
	return 0;
}
