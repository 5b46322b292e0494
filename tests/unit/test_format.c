/*
 * test_format.c: the shared printf engine (lib/format.c, lib/snprintf.c),
 * as the kernel uses it, against the host C library's, over every
 * combination of flags, width, precision, length modifier and conversion
 * on edge values; then %p, %s, %c and truncation, where the two differ by
 * design or need care.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The kernel's names clash with the host's: rename them on the way in. */
#define vsnprintf fable_vsnprintf
#define snprintf fable_snprintf
#include "lib/format.c"
#include "lib/snprintf.c"
#undef vsnprintf
#undef snprintf

static int failures, checks;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

/* Format with both engines; report and count a difference. */
static void same(const char *fmt, ...)
{
	char want[512], got[512];
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int nw = vsnprintf(want, sizeof want, fmt, ap);
	int ng = fable_vsnprintf(got, sizeof got, fmt, aq);
	va_end(aq);
	va_end(ap);
	checks++;
	if (nw == ng && strcmp(want, got) == 0)
		return;
	if (failures++ < 30)
		printf("format \"%s\": host \"%s\" (%d), kernel \"%s\" (%d)\n", fmt, want, nw, got, ng);
}

/* The kernel engine without the compiler's format checks, for formats
 * that are wrong on purpose. */
static int kfmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fable_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Every subset of the flags, as strings: "", "-", "+", "-+", ... */
static const char *flag_set(int bits, char *buf)
{
	static const char flags[] = "-+ #0";
	int n = 0;
	for (int i = 0; i < 5; i++)
		if (bits & (1 << i))
			buf[n++] = flags[i];
	buf[n] = 0;
	return buf;
}

static const char *const widths[] = { "", "1", "5", "12", "*" };
static const char *const precs[] = { "", ".", ".0", ".1", ".5", ".12", ".*" };
static const char convs[] = "diuoxX";

static const long long values[] = {
	0, 1, -1, 7, 8, 42, -42, 255, 256, 1000, 65535, 65536, -32768,
	INT_MAX, INT_MIN, UINT_MAX, LLONG_MAX, LLONG_MIN, 0x123456789abcdefLL,
};

/* Pass v as the type the length modifier names (varargs promotion applies). */
static void one(const char *fmt, const char *len, bool star_w, bool star_p, long long v)
{
	int w = star_w ? 7 : 0, p = star_p ? 3 : 0;
#define CALL(x) do { \
		if (star_w && star_p) same(fmt, w, p, x); \
		else if (star_w) same(fmt, w, x); \
		else if (star_p) same(fmt, p, x); \
		else same(fmt, x); \
	} while (0)
	if (!strcmp(len, "ll"))
		CALL(v);
	else if (!strcmp(len, "l"))
		CALL((long)v);
	else if (!strcmp(len, "z"))
		CALL((size_t)v);
	else
		CALL((int)v);	/* int, and what hh and h promote from */
#undef CALL
}

static void test_integers_vs_host(void)
{
	static const char *const lens[] = { "hh", "h", "", "l", "ll", "z" };
	char flags[8], fmt[64];
	for (int fb = 0; fb < 32; fb++)
	for (size_t wi = 0; wi < sizeof widths / sizeof *widths; wi++)
	for (size_t pi = 0; pi < sizeof precs / sizeof *precs; pi++)
	for (size_t li = 0; li < sizeof lens / sizeof *lens; li++)
	for (const char *c = convs; *c; c++) {
		/* z with a signed conversion is ssize_t: same bits, same output. */
		snprintf(fmt, sizeof fmt, "[%%%s%s%s%s%c]", flag_set(fb, flags),
			 widths[wi], precs[pi], lens[li], *c);
		for (size_t vi = 0; vi < sizeof values / sizeof *values; vi++)
			one(fmt, lens[li], widths[wi][0] == '*', strchr(precs[pi], '*') != NULL, values[vi]);
	}
}

static void test_star_negative(void)
{
	same("[%*d]", -6, 42);		/* negative width: left-justify */
	same("[%.*d]", -3, 42);		/* negative precision: as if none */
	same("[%0*.*x]", -9, -1, 0xbeef);
	same("[%*s|%-*s]", 4, "a", 4, "b");
}

static void test_strings_and_chars(void)
{
	const char *strs[] = { "", "a", "hello", "a longer string of text" };
	const char *fmts[] = { "[%s]", "[%8s]", "[%-8s]", "[%.3s]", "[%8.3s]", "[%-8.0s]", "[%.30s]" };
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		for (size_t f = 0; f < sizeof fmts / sizeof *fmts; f++)
			same(fmts[f], strs[i]);
	same("[%c%c%c]", 'a', 'Z', ' ');
	same("[%5c|%-5c|%1c]", 'x', 'y', 'z');
	same("[%c]", 200);		/* the low byte of the int */
	same("100%% sure, %d%%", 50);
	same("no conversions at all");
	same("");
	same("%s and %s", "one", "two");
	char got[32];
	kfmt(got, sizeof got, "[%s]", (char *)NULL);
	CHECK(strcmp(got, "[(null)]") == 0);
}

/* %p: always 0x and hex, NULL too (glibc prints "(nil)" for NULL). */
static void test_pointers(void)
{
	char got[64], want[64];
	void *p = (void *)(uintptr_t)0xb8000;
	fable_snprintf(got, sizeof got, "%p", p);
	snprintf(want, sizeof want, "0x%lx", (unsigned long)(uintptr_t)p);
	CHECK(strcmp(got, want) == 0);
	fable_snprintf(got, sizeof got, "[%12p]", p);
	CHECK(strcmp(got, "[     0xb8000]") == 0);
	fable_snprintf(got, sizeof got, "[%-10p]", p);
	CHECK(strcmp(got, "[0xb8000   ]") == 0);
	fable_snprintf(got, sizeof got, "%p", (void *)0);
	CHECK(strcmp(got, "0x0") == 0);
}

/* Output is cut to size - 1 and NUL-ended; the result is the full length. */
static void test_truncation(void)
{
	char buf[16];
	for (size_t size = 0; size <= sizeof buf; size++) {
		char want[16], *got = buf;
		memset(buf, '#', sizeof buf);
		memset(want, '#', sizeof want);
		int nw = snprintf(want, size, "abc%dxyz%s", -12345, "!!");
		int ng = fable_snprintf(got, size, "abc%dxyz%s", -12345, "!!");
		CHECK(nw == ng && ng == 14);
		CHECK(memcmp(want, got, sizeof buf) == 0);	/* nothing past size written */
	}
	CHECK(fable_snprintf(NULL, 0, "%d", 123456) == 6);
}

/* Unknown conversions are shown, not guessed; a lone '%' ends cleanly. */
static void test_unknown(void)
{
	char got[32];
	kfmt(got, sizeof got, "a%qb");
	CHECK(strcmp(got, "a%qb") == 0);
	kfmt(got, sizeof got, "end%");
	CHECK(strcmp(got, "end%") == 0);
}

int main(void)
{
	test_integers_vs_host();
	test_star_negative();
	test_strings_and_chars();
	test_pointers();
	test_truncation();
	test_unknown();
	if (failures)
		printf("test_format: %d failure(s) in %d comparisons\n", failures, checks);
	return failures != 0;
}
