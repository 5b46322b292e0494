/*
 * libc_target.c: the libc on the target itself, where long and size_t
 * are 32 bits and 64-bit arithmetic goes through libx86: formatting of
 * 64-bit and pointer values, strtol's 32-bit saturation, sscanf, qsort.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testlib.h"

static int by_int(char *a, char *b)
{
	return *(int *)a - *(int *)b;
}

static void formatting(void)
{
	char buf[64];
	long long big = -1234567890123456789LL;
	CHECK(snprintf(buf, sizeof buf, "%lld", big) == 20 &&
	      strcmp(buf, "-1234567890123456789") == 0);
	snprintf(buf, sizeof buf, "%llx|%llo", 0xfedcba9876543210ULL, 01777777777777777777777ULL);
	CHECK(strcmp(buf, "fedcba9876543210|1777777777777777777777") == 0);
	snprintf(buf, sizeof buf, "%zu|%lu|%ld|%p", (size_t)4000000000u, ULONG_MAX, LONG_MIN, (void *)0x1000000);
	CHECK(strcmp(buf, "4000000000|4294967295|-2147483648|0x1000000") == 0);
	CHECK(printf("%s", "") == 0 && printf("%5d\n", 42) == 6);
	long long q = big / 1000000007LL, r = big % 1000000007LL;
	CHECK(q * 1000000007LL + r == big && r > -1000000007LL && r <= 0);
	unsigned long long u = 0xffffffffffffffffULL;
	CHECK(u / 3 == 0x5555555555555555ULL && u % 10 == 5);
}

static void parsing(void)
{
	char *end;
	CHECK(strtol("2147483648", &end, 10) == LONG_MAX && *end == 0);
	CHECK(strtol("-2147483649", NULL, 10) == LONG_MIN);
	CHECK(strtoul("4294967296", NULL, 0) == ULONG_MAX);
	CHECK(strtoul("0xffffffff", NULL, 0) == 4294967295UL);
	CHECK(atoi("  -77x") == -77);
	int a = 0, b = 0;
	char word[8];
	CHECK(sscanf("12 0x1f w", "%d %i %7s", &a, &b, word) == 3);
	CHECK(a == 12 && b == 31 && strcmp(word, "w") == 0);
}

int main(void)
{
	int v[] = { 5, -3, 9, 0, 5, 2, -8 };
	formatting();
	parsing();
	qsort(v, 7, sizeof v[0], by_int);
	for (int i = 1; i < 7; i++)
		CHECK(v[i - 1] <= v[i]);
	test_done();
}
