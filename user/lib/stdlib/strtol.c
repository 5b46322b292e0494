/*
 * strtol.c: text to integers. Leading whitespace, then an optional sign,
 * then digits in base 2..36; base 0 means C's rules (0x hex, 0 octal,
 * else decimal) and base 16 also accepts a 0x prefix. Values that do not
 * fit saturate (there is no errno). If there are no digits the result is
 * 0 and *out_p is the start of the string.
 */
#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>

struct parsed {
	unsigned long mag;	/* the digits' value, ULONG_MAX if it overflowed */
	int neg;		/* a '-' came first */
	int overflow;
};

static int digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Skip the sign and the base prefix; returns the first digit's address. */
static const char *prefix(const char *s, int *base, int *neg)
{
	while (isspace((unsigned char)*s))
		s++;
	*neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	if ((*base == 0 || *base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X') && digit(s[2]) < 16) {
		*base = 16;
		return s + 2;
	}
	if (*base == 0)
		*base = *s == '0' ? 8 : 10;
	return s;
}

static void parse(const char *p, char **out_p, int base, struct parsed *r)
{
	const char *s = prefix(p, &base, &r->neg), *start;
	r->mag = 0;
	r->overflow = 0;
	if (base < 2 || base > 36) {
		s = p;		/* an invalid base reads nothing: */
		base = 0;	/* no digit is below 0 */
	}
	for (start = s; digit(*s) < base; s++) {
		unsigned long d = digit(*s);
		if (r->mag > (ULONG_MAX - d) / base)
			r->overflow = 1;
		r->mag = r->overflow ? ULONG_MAX : r->mag * base + d;
	}
	if (out_p)
		*out_p = (char *)(s == start ? p : s);
}

long strtol(const char *p, char **out_p, int base)
{
	struct parsed r;
	parse(p, out_p, base, &r);
	if (r.neg)
		return r.mag > (unsigned long)LONG_MAX + 1 ? LONG_MIN : (long)(0 - r.mag);
	return r.mag > LONG_MAX ? LONG_MAX : (long)r.mag;
}

/* As in C, a '-' negates the value modulo ULONG_MAX + 1. */
unsigned long strtoul(const char *p, char **out_p, int base)
{
	struct parsed r;
	parse(p, out_p, base, &r);
	if (r.overflow)
		return ULONG_MAX;
	return r.neg ? 0 - r.mag : r.mag;
}

long atol(const char *str)
{
	return strtol(str, NULL, 10);
}

int abs(int val)
{
	return val < 0 ? -val : val;
}
