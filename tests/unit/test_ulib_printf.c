/*
 * test_ulib_printf.c: the user printf family (user/lib/stdio) against the
 * host's snprintf, and printf's buffering against a recording print().
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The user library's versions, renamed so that the host's stay usable. */
#define vsnprintf u_vsnprintf
#define snprintf u_snprintf
#define vsprintf u_vsprintf
#define sprintf u_sprintf
#define vprintf u_vprintf
#define printf u_printf
#define puts u_puts
#define putchar u_putchar
int print(int size, char *buf);
#include "lib/format.c"
#include "lib/snprintf.c"
#include "user/lib/stdio/sprintf.c"
#include "user/lib/stdio/printf.c"
#undef vsnprintf
#undef snprintf
#undef vsprintf
#undef sprintf
#undef vprintf
#undef printf
#undef puts
#undef putchar

/* Flag combinations C defines as ignored ("%-05d") are tested on purpose. */
#pragma GCC diagnostic ignored "-Wformat"

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

/* Format with both and compare text and result. */
#define SAME(...) do {							\
	char u[256], h[256];						\
	int un = u_snprintf(u, sizeof u, __VA_ARGS__);			\
	int hn = snprintf(h, sizeof h, __VA_ARGS__);			\
	if (un != hn || strcmp(u, h) != 0) {				\
		failures++;						\
		printf("%s:%d: %s: got \"%s\" (%d), host \"%s\" (%d)\n", \
		       __FILE__, __LINE__, #__VA_ARGS__, u, un, h, hn); \
	}								\
} while (0)

static void test_integers(void)
{
	SAME("%d %i %d %d", 0, 42, -42, INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%u %u", 0u, UINT_MAX);
	SAME("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0777u);
	SAME("%5d|%-5d|%05d|%+d|% d|%+5d|%-+5d|", 42, 42, 42, 42, 42, 42, 42);
	SAME("%05d|%-05d|%+05d|% 05d", -42, -42, 42, 42);
	SAME("%.3d|%.0d|%.0d|%5.3d|%-5.3d|%05.3d", 7, 0, 1, -7, 7, 7);
	SAME("%#x|%#X|%#o|%#o|%#x|%#.0o", 255u, 255u, 8u, 0u, 0u, 0u);
	SAME("%#10x|%#-10x|%#010x|%#.5o|%#5o", 255u, 255u, 255u, 8u, 8u);
	SAME("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	SAME("%hhx %hx %ho", 0x1ff, 0x1ffff, 0x1ffff);
	SAME("%ld %lu %lx", -123456789L, 123456789UL, 0xabcdefUL);
	SAME("%lld %llu %llx %llo", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefULL, 01234567012345670ULL);
	SAME("%lld %lld", LLONG_MAX, -1LL);
	SAME("%zu %zx %zd", (size_t)12345, (size_t)0xffff, (size_t)77);
	SAME("%20lld|%-20llu|%020llx", -9876543210LL, 9876543210ULL, 0xfedcba9876ULL);
}

static void test_star_and_text(void)
{
	SAME("%*d|%-*d|%*d", 6, 42, 6, 42, -6, 42);
	SAME("%.*d|%.*d|%*.*d", 4, 3, -1, 3, 8, 5, -12);
	SAME("%.*s|%*s|%-*s|", 3, "abcdef", 6, "ab", 6, "ab");
	SAME("%s|%10s|%-10s|%.2s|%10.2s|%-10.2s|", "hello", "hello", "hello", "hello", "hello", "hello");
	SAME("%c%c%c|%3c|%-3c|", 'a', 'b', 'c', 'x', 'y');
	SAME("%%|100%%");
	SAME("no conversions at all");
	SAME("%s", "");
	SAME("%p|%20p|%-20p|", (void *)0x1234, (void *)0xdeadbeef, (void *)0xabc);
}

static void test_truncation(void)
{
	char buf[8];
	memset(buf, 'z', sizeof buf);
	CHECK(u_snprintf(buf, 0, "%d", 12345) == 5 && buf[0] == 'z');
	CHECK(u_snprintf(buf, 1, "%d", 12345) == 5 && buf[0] == 0);
	CHECK(u_snprintf(buf, 4, "%d", 12345) == 5 && strcmp(buf, "123") == 0);
	CHECK(u_snprintf(buf, 6, "%d", 12345) == 5 && strcmp(buf, "12345") == 0);
	CHECK(u_sprintf(buf, "%s-%d", "ab", 7) == 4 && strcmp(buf, "ab-7") == 0);
}

/* printf's calls to print(), recorded. */
static char printed[8192];
static int printed_len, print_calls, longest_print;

int print(int size, char *buf)
{
	memcpy(printed + printed_len, buf, size);
	printed_len += size;
	print_calls++;
	if (size > longest_print)
		longest_print = size;
	return 0;
}

static void reset_print(void)
{
	printed_len = print_calls = longest_print = 0;
	memset(printed, 0, sizeof printed);
}

static void test_buffering(void)
{
	char big[1000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;

	reset_print();
	CHECK(u_printf("a%db\n", 1) == 4 && print_calls == 1);	/* one line, one print */
	reset_print();
	CHECK(u_printf("one\ntwo\nthree") == 13 && print_calls == 3);
	CHECK(strcmp(printed, "one\ntwo\nthree") == 0);
	reset_print();
	CHECK(u_printf("%s", big) == 999 && longest_print == 128 && print_calls == 8);
	CHECK(printed_len == 999 && strcmp(printed, big) == 0);
	reset_print();
	CHECK(u_printf("%s", "") == 0 && print_calls == 0);
	reset_print();
	CHECK(u_puts("hi") == 0 && strcmp(printed, "hi\n") == 0 && print_calls == 1);
	reset_print();
	CHECK(u_putchar('q') == 'q' && u_putchar(0x1ff) == 0xff && printed_len == 2);
}

int main(void)
{
	test_integers();
	test_star_and_text();
	test_truncation();
	test_buffering();
	if (failures)
		printf("test_ulib_printf: %d failure(s)\n", failures);
	return failures != 0;
}
