/*
 * test_ulib_scanf.c: the user sscanf (user/lib/stdio/sscanf.c) against the
 * host's, on the conversions it supports.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define sscanf u_sscanf
#include "user/lib/stdio/sscanf.c"
#undef sscanf

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

/* Scan into two sets of variables; compare results and every variable. */
struct vars {
	int i[3];
	unsigned u;
	long l;
	long long ll;
	short h;
	signed char hh;
	char s[16], c[4];
};

#define SAME(str, fmt, ...) do {					\
	struct vars a, b;						\
	memset(&a, 0x5a, sizeof a);					\
	memset(&b, 0x5a, sizeof b);					\
	{ struct vars *v = &a; int na = u_sscanf(str, fmt, __VA_ARGS__); \
	  v = &b; int nb = sscanf(str, fmt, __VA_ARGS__);		\
	  if (na != nb || memcmp(&a, &b, sizeof a) != 0) {		\
		failures++;						\
		printf("%s:%d: sscanf(\"%s\", \"%s\"): %d vs host %d%s\n", \
		       __FILE__, __LINE__, str, fmt, na, nb,		\
		       na == nb ? " (values differ)" : "");		\
	} }								\
} while (0)

static void test_numbers(void)
{
	SAME("42 -17 +5", "%d %d %d", &v->i[0], &v->i[1], &v->i[2]);
	SAME("  0x1F 017 99", "%i %i %i", &v->i[0], &v->i[1], &v->i[2]);
	SAME("ff 777 123", "%x %o %u", &v->i[0], &v->i[1], &v->u);
	SAME("0xABC", "%x", &v->u);
	SAME("12345", "%3d%d", &v->i[0], &v->i[1]);
	SAME("-2147483648 4294967295", "%d %u", &v->i[0], &v->u);
	SAME("123456789012 -9", "%lld %ld", &v->ll, &v->l);
	SAME("70000 300", "%hd %hhd", &v->h, &v->hh);
	SAME("1 2 3", "%d %*d %d", &v->i[0], &v->i[1]);
	SAME("7,8", "%d,%d", &v->i[0], &v->i[1]);
	SAME("7;8", "%d,%d", &v->i[0], &v->i[1]);
	SAME("abc", "%d", &v->i[0]);
	SAME("-x", "%d", &v->i[0]);
	SAME("", "%d", &v->i[0]);
	SAME("   ", "%d", &v->i[0]);
	SAME("5", "%d %d", &v->i[0], &v->i[1]);
}

static void test_text(void)
{
	SAME("hello world", "%s %3s", v->s, v->c);
	SAME("hello", "%3s%s", v->s, v->c);
	SAME("xyz", "%c%c", &v->c[0], &v->c[1]);
	SAME(" xyz", "%c", &v->c[0]);
	SAME("abcd", "%3c", v->c);
	SAME("ab", "%3c", v->c);
	SAME("50% off", "%d%% %s", &v->i[0], v->s);
	SAME("50 % off", "%d %% %s", &v->i[0], v->s);
	SAME("key = 12", "key = %d", &v->i[0]);
	SAME("key=12", "key = %d", &v->i[0]);
	SAME("word 9", "%*s %d", &v->i[0]);
}

int main(void)
{
	test_numbers();
	test_text();
	CHECK(u_sscanf("", "") == 0);
	CHECK(u_sscanf("", "x") == -1);
	if (failures)
		printf("test_ulib_scanf: %d failure(s)\n", failures);
	return failures != 0;
}
