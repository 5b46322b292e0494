/*
 * sscanf.c: reading values out of a string. Conversions d i u o x c s %,
 * a maximum field width, the length modifiers hh h l ll, and '*' to read
 * a field without storing it. Whitespace in the format matches any run of
 * whitespace (none included) in the input. Integers that do not fit wrap.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

/* A conversion's result: stored, input ended, or input did not match. */
enum { SCAN_OK = 1, SCAN_MISMATCH = 0, SCAN_EOF = -1 };

struct conv {
	int skip;		/* '*': read the field, store nothing */
	int width;		/* longest field; INT_MAX if none given */
	int len;		/* -2 hh, -1 h, 0 none, 1 l, 2 ll */
	char c;			/* the conversion character */
};

static const char *skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

static const char *parse_conv(const char *f, struct conv *cv)
{
	*cv = (struct conv){ .width = 0 };
	if (*f == '*')
		cv->skip = 1, f++;
	for (; *f >= '0' && *f <= '9'; f++)
		if (cv->width < INT_MAX / 10 - 10)
			cv->width = cv->width * 10 + (*f - '0');
	if (cv->width == 0)
		cv->width = INT_MAX;
	for (; *f == 'h' || *f == 'l'; f++)
		cv->len += *f == 'h' ? -1 : 1;
	cv->c = *f;
	return *f ? f + 1 : f;
}

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

/* Read an integer of at most width characters in base (0: decimal, 0x
 * hex or 0 octal, as in C). Returns 0 if there is none. */
static int scan_int(const char **sp, int width, int base, unsigned long long *out)
{
	const char *s = *sp;
	int n = 0, ndigits = 0, neg = 0;
	unsigned long long v = 0;
	if (n < width && (s[n] == '-' || s[n] == '+'))
		neg = s[n++] == '-';
	if ((base == 0 || base == 16) && n + 2 < width && s[n] == '0' &&
	    (s[n + 1] == 'x' || s[n + 1] == 'X') && isxdigit((unsigned char)s[n + 2])) {
		n += 2;
		base = 16;
	}
	if (base == 0)
		base = s[n] == '0' ? 8 : 10;
	for (; n < width && digit(s[n]) < base; n++, ndigits++)
		v = v * base + digit(s[n]);
	if (!ndigits)
		return 0;
	*out = neg ? -v : v;
	*sp = s + n;
	return 1;
}

static void store_int(const struct conv *cv, va_list *ap, unsigned long long v)
{
	switch (cv->len) {
	case -2: *va_arg(*ap, signed char *) = (signed char)v; break;
	case -1: *va_arg(*ap, short *) = (short)v; break;
	case 1:  *va_arg(*ap, long *) = (long)v; break;
	case 2:  *va_arg(*ap, long long *) = (long long)v; break;
	default: *va_arg(*ap, int *) = (int)v; break;
	}
}

static int base_of(char c)
{
	switch (c) {
	case 'd': case 'u': return 10;
	case 'i': return 0;
	case 'o': return 8;
	case 'x': case 'X': return 16;
	default:  return -1;
	}
}

/* %c: width characters (default 1), whitespace included, no NUL; fewer
 * if the input ends first (as glibc does). */
static int scan_chars(const char **sp, const struct conv *cv, va_list *ap)
{
	int n = cv->width == INT_MAX ? 1 : cv->width;
	char *dst = cv->skip ? 0 : va_arg(*ap, char *);
	int i = 0;
	for (; i < n && (*sp)[i]; i++)
		if (dst)
			dst[i] = (*sp)[i];
	*sp += i;
	return SCAN_OK;
}

/* %s: a run of non-whitespace, stored with a NUL. */
static int scan_word(const char **sp, const struct conv *cv, va_list *ap)
{
	char *dst = cv->skip ? 0 : va_arg(*ap, char *);
	int n = 0;
	for (; n < cv->width && (*sp)[n] && !isspace((unsigned char)(*sp)[n]); n++)
		if (dst)
			dst[n] = (*sp)[n];
	if (dst)
		dst[n] = 0;
	*sp += n;
	return SCAN_OK;
}

static int convert(const char **sp, const struct conv *cv, va_list *ap)
{
	unsigned long long v;
	if (cv->c != 'c')
		*sp = skip_space(*sp);
	if (!**sp)
		return SCAN_EOF;
	if (cv->c == 'c')
		return scan_chars(sp, cv, ap);
	if (cv->c == 's')
		return scan_word(sp, cv, ap);
	int base = base_of(cv->c);
	if (base < 0 || !scan_int(sp, cv->width, base, &v))
		return SCAN_MISMATCH;
	if (!cv->skip)
		store_int(cv, ap, v);
	return SCAN_OK;
}

/* Match one ordinary format character (or "%%") at *sp. */
static int literal(const char **sp, char c)
{
	if (c == '%')
		*sp = skip_space(*sp);
	if (!**sp)
		return SCAN_EOF;
	if (**sp != c)
		return SCAN_MISMATCH;
	(*sp)++;
	return SCAN_OK;
}

static int scan(const char *s, const char *f, va_list *ap)
{
	int assigned = 0, done = 0;
	struct conv cv;
	while (*f) {
		int r, is_conv = *f == '%' && f[1] != '%';
		if (isspace((unsigned char)*f)) {
			s = skip_space(s);
			f++;
			continue;
		}
		if (is_conv) {
			f = parse_conv(f + 1, &cv);
			r = convert(&s, &cv, ap);
		} else {
			r = literal(&s, *f);
			f += *f == '%' ? 2 : 1;
		}
		if (r == SCAN_EOF)	/* input ended: EOF if nothing was converted yet */
			return done ? assigned : -1;
		if (r == SCAN_MISMATCH)
			return assigned;
		if (is_conv) {
			done++;
			assigned += !cv.skip;
		}
	}
	return assigned;
}

int sscanf(const char *str, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	int n = scan(str, format, &ap);
	va_end(ap);
	return n;
}
