/*
 * test_ulib_stdlib.c: the user stdlib (user/lib/stdlib) against the host:
 * strtol/strtoul corner cases, atol, qsort on random arrays, rand's
 * range, ctype over every byte.
 */
#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define strtol u_strtol
#define strtoul u_strtoul
#define atol u_atol
#define abs u_abs
#define qsort u_qsort
#define rand u_rand
#define srand u_srand
#include "user/lib/stdlib/strtol.c"
#include "user/lib/stdlib/qsort.c"
#include "user/lib/stdlib/rand.c"
#undef strtol
#undef strtoul
#undef atol
#undef abs
#undef qsort
#undef rand
#undef srand

/* ctype last, as the files above use the host's. glibc's ctype functions
 * are also macros: drop those, so that both sets are real functions. */
#undef isascii
#undef iscntrl
#undef isdigit
#undef isgraph
#undef islower
#undef isprint
#undef isspace
#undef isupper
#undef isxdigit
#undef isalpha
#undef isalnum
#undef ispunct
#undef toupper
#undef tolower
#define isascii u_isascii
#define iscntrl u_iscntrl
#define isdigit u_isdigit
#define isgraph u_isgraph
#define islower u_islower
#define isprint u_isprint
#define isspace u_isspace
#define isupper u_isupper
#define isxdigit u_isxdigit
#define isalpha u_isalpha
#define isalnum u_isalnum
#define ispunct u_ispunct
#define toupper u_toupper
#define tolower u_tolower
#include "user/lib/stdlib/ctype.c"
#undef isascii
#undef iscntrl
#undef isdigit
#undef isgraph
#undef islower
#undef isprint
#undef isspace
#undef isupper
#undef isxdigit
#undef isalpha
#undef isalnum
#undef ispunct
#undef toupper
#undef tolower

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

static const char *const numbers[] = {
	"0", "42", "-42", "+42", "  \t\n 17xyz", "0x1f", "0X1F", "0x", "0xg", "017",
	"08", "-0", "", "   ", "-", "+", "abc", "z", "Zz", "1010", "777777777777777777777",
	"2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295",
	"4294967296", "9223372036854775807", "9223372036854775808",
	"-9223372036854775808", "-9223372036854775809", "18446744073709551615",
	"18446744073709551616", "-1", "- 5", "0x7fffffffffffffff", "0b101",
};
static const int bases[] = { 0, 2, 8, 10, 16, 36 };

static void test_strtol(void)
{
	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		for (size_t j = 0; j < sizeof bases / sizeof bases[0]; j++) {
			const char *s = numbers[i];
			int b = bases[j];
			char *ue, *he;
			long u = u_strtol(s, &ue, b), h = strtol(s, &he, b);
			if (u != h || ue != he) {
				failures++;
				printf("strtol(\"%s\", %d): %ld end %td, host %ld end %td\n",
				       s, b, u, ue - s, h, he - s);
			}
			unsigned long uu = u_strtoul(s, &ue, b), hu = strtoul(s, &he, b);
			if (uu != hu || ue != he) {
				failures++;
				printf("strtoul(\"%s\", %d): %lu end %td, host %lu end %td\n",
				       s, b, uu, ue - s, hu, he - s);
			}
		}
		CHECK(u_atol(numbers[i]) == strtol(numbers[i], NULL, 10));
	}
	char *end;
	const char *s = "123";
	CHECK(u_strtol(s, &end, 1) == 0 && end == s);	/* invalid bases */
	CHECK(u_strtol(s, &end, 37) == 0 && end == s);
	CHECK(u_strtol("5", NULL, 10) == 5);
	CHECK(u_abs(-5) == 5 && u_abs(5) == 5 && u_abs(0) == 0);
}

static int by_int(char *a, char *b)
{
	int x = *(int *)(void *)a, y = *(int *)(void *)b;
	return (x > y) - (x < y);
}

static int host_by_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

struct rec {
	char key[5];
	char pad[2];
};

static int by_key(char *a, char *b)
{
	return strcmp(a, b);
}

static void test_qsort(void)
{
	int a[300], b[300];
	for (int n = 0; n <= 300; n += n < 20 ? 1 : 37) {
		for (int i = 0; i < n; i++)
			a[i] = b[i] = rand() % (n / 2 + 1) - n / 4;	/* with repeats */
		u_qsort(a, n, sizeof a[0], by_int);
		qsort(b, n, sizeof b[0], host_by_int);
		CHECK(memcmp(a, b, n * sizeof a[0]) == 0);
	}
	struct rec r[50];
	for (int i = 0; i < 50; i++)
		snprintf(r[i].key, sizeof r[i].key, "%04d", (i * 37) % 50);
	u_qsort(r, 50, sizeof r[0], by_key);	/* odd element size */
	for (int i = 1; i < 50; i++)
		CHECK(strcmp(r[i - 1].key, r[i].key) < 0);
	u_qsort(a, 0, sizeof a[0], by_int);
	u_qsort(a, 5, 0, by_int);
}

static void test_rand(void)
{
	int first[8], differ = 0;
	u_srand(7);
	for (int i = 0; i < 8; i++)
		first[i] = u_rand();
	u_srand(7);
	for (int i = 0; i < 8; i++)
		CHECK(u_rand() == first[i]);	/* a seed repeats its sequence */
	for (int i = 0; i < 10000; i++) {
		int v = u_rand();
		CHECK(v >= 0 && v <= 0x7fffffff);
		differ += v != first[i % 8];
	}
	CHECK(differ > 9000);
}

static void test_ctype(void)
{
	for (int c = -1; c < 256; c++) {
		CHECK(!u_isascii(c) == !(c >= 0 && c < 128));
		CHECK(!u_iscntrl(c) == !iscntrl(c));
		CHECK(!u_isdigit(c) == !isdigit(c));
		CHECK(!u_isgraph(c) == !isgraph(c));
		CHECK(!u_islower(c) == !islower(c));
		CHECK(!u_isprint(c) == !isprint(c));
		CHECK(!u_isspace(c) == !isspace(c));
		CHECK(!u_isupper(c) == !isupper(c));
		CHECK(!u_isxdigit(c) == !isxdigit(c));
		CHECK(!u_isalpha(c) == !isalpha(c));
		CHECK(!u_isalnum(c) == !isalnum(c));
		CHECK(!u_ispunct(c) == !ispunct(c));
		CHECK(u_toupper(c) == toupper(c));
		CHECK(u_tolower(c) == tolower(c));
	}
}

int main(void)
{
	test_strtol();
	test_qsort();
	test_rand();
	test_ctype();
	if (failures)
		printf("test_ulib_stdlib: %d failure(s)\n", failures);
	return failures != 0;
}
