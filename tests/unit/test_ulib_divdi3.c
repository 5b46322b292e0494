/*
 * test_ulib_divdi3.c: libx86's 64-bit division helpers
 * (lib/divdi3.c) against the host's native 64-bit division.
 */
#include <stdint.h>
#include <stdio.h>
#include "lib/divdi3.c"

static int failures;

static uint64_t state = 88172645463325252ULL;

/* xorshift64, with random bit lengths so that every path is taken. */
static uint64_t random64(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state >> (state % 64);
}

static void check_pair(uint64_t n, uint64_t d)
{
	uint64_t r;
	int64_t sr, sn = (int64_t)n, sd = (int64_t)d;
	if (d == 0)
		return;
	if (__udivmoddi4(n, d, &r) != n / d || r != n % d ||
	    __udivdi3(n, d) != n / d || __umoddi3(n, d) != n % d) {
		failures++;
		printf("unsigned %llu / %llu\n", (unsigned long long)n, (unsigned long long)d);
	}
	if (sn == INT64_MIN && sd == -1)
		return;		/* overflows in C too */
	if (__divmoddi4(sn, sd, &sr) != sn / sd || sr != sn % sd ||
	    __divdi3(sn, sd) != sn / sd || __moddi3(sn, sd) != sn % sd) {
		failures++;
		printf("signed %lld / %lld\n", (long long)sn, (long long)sd);
	}
}

int main(void)
{
	static const uint64_t edges[] = {
		0, 1, 2, 3, 7, 10, 0xffffffffULL, 0x100000000ULL, 0x100000001ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xffffffffffffffffULL,
		0xfffffffffffffffeULL, 12345678901234567ULL, 1ULL << 63 | 1,
	};
	const int n = sizeof edges / sizeof edges[0];
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			check_pair(edges[i], edges[j]);
	for (int i = 0; i < 200000; i++)
		check_pair(random64(), random64());
	if (failures)
		printf("test_ulib_divdi3: %d failure(s)\n", failures);
	return failures != 0;
}
