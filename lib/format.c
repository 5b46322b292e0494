/*
 * format.c: the one printf engine (see format.h), built into the kernel
 * and into libstdio.a. Numbers are laid out as
 *   [blanks] [sign or 0x] [zeros] digits [blanks]
 * where the zeros come from the precision, '#' with %o, or the '0' flag.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "format.h"

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };
enum { LEN_HH = -2, LEN_H, LEN_INT, LEN_L, LEN_LL, LEN_Z };

#define FIELD_MAX 100000000	/* larger widths/precisions are clamped */

struct spec {
	int flags;		/* F_* */
	int width;
	int prec;		/* -1: none given */
	int len;		/* LEN_* */
};

struct out {
	format_put_t put;
	void *ctx;
	int count;		/* characters produced so far */
};

static void emit(struct out *o, char c)
{
	o->put(o->ctx, c);
	o->count++;
}

static void repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		emit(o, c);
}

static int length(const char *s, int max)
{
	int n = 0;
	while (s[n] && (max < 0 || n < max))
		n++;
	return n;
}

/* Emit prefix, zeros and the n-character body, padded to the width. */
static void field(struct out *o, const struct spec *s, const char *prefix,
		  int zeros, const char *body, int n)
{
	int plen = length(prefix, -1);
	int pad = s->width - (plen + zeros + n);
	if (!(s->flags & F_LEFT))
		repeat(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		emit(o, prefix[i]);
	repeat(o, '0', zeros);
	for (int i = 0; i < n; i++)
		emit(o, body[i]);
	if (s->flags & F_LEFT)
		repeat(o, ' ', pad);
}

/* Write v's digits, most significant first, into buf; returns the count.
 * 32-bit values (the common case) avoid 64-bit division. */
static int to_digits(char *buf, unsigned long long v, unsigned base, int upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	int n = 0, i = 0;
	for (; v > 0xffffffffu; v /= base)
		rev[n++] = set[v % base];
	uint32_t w = (uint32_t)v;
	do {
		rev[n++] = set[w % base];
		w /= base;
	} while (w);
	while (n)
		buf[i++] = rev[--n];
	return i;
}

static void number(struct out *o, const struct spec *s, unsigned long long v,
		   const char *prefix, unsigned base, int upper)
{
	char digits[24];
	int n = to_digits(digits, v, base, upper);
	if (s->prec == 0 && v == 0)
		n = 0;		/* "%.0d" of 0 is empty */
	int zeros = s->prec > n ? s->prec - n : 0;
	if (base == 8 && (s->flags & F_ALT) && zeros == 0 && (n == 0 || digits[0] != '0'))
		zeros = 1;	/* "%#o" always starts with 0 */
	if (base == 16 && (s->flags & F_ALT) && v)
		prefix = upper ? "0X" : "0x";
	int used = length(prefix, -1) + zeros + n;
	if ((s->flags & F_ZERO) && !(s->flags & F_LEFT) && s->prec < 0 && s->width > used)
		zeros += s->width - used;
	field(o, s, prefix, zeros, digits, n);
}

static unsigned long long get_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
	case LEN_H:  return (unsigned short)va_arg(*ap, unsigned);
	case LEN_L:  return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_Z:  return va_arg(*ap, size_t);
	default:     return va_arg(*ap, unsigned);
	}
}

static long long get_signed(const struct spec *s, va_list *ap)
{
	switch (s->len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H:  return (short)va_arg(*ap, int);
	case LEN_L:  return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_Z:  return (ptrdiff_t)va_arg(*ap, size_t);
	default:     return va_arg(*ap, int);
	}
}

static void signed_number(struct out *o, const struct spec *s, long long v)
{
	unsigned long long mag = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
	const char *sign = v < 0 ? "-" : (s->flags & F_PLUS) ? "+" :
			   (s->flags & F_SPACE) ? " " : "";
	number(o, s, mag, sign, 10, 0);
}

static int get_int(const char **f)
{
	int v = 0;
	for (; **f >= '0' && **f <= '9'; (*f)++)
		if (v < FIELD_MAX)
			v = v * 10 + (**f - '0');
	return v;
}

/* A width or precision: digits, or '*' for the next int argument. */
static int get_count(const char **f, va_list *ap)
{
	if (**f != '*')
		return get_int(f);
	(*f)++;
	int v = va_arg(*ap, int);
	return v > FIELD_MAX ? FIELD_MAX : v < -FIELD_MAX ? -FIELD_MAX : v;
}

static int get_flag(char c)
{
	switch (c) {
	case '-': return F_LEFT;
	case '+': return F_PLUS;
	case ' ': return F_SPACE;
	case '#': return F_ALT;
	case '0': return F_ZERO;
	default:  return 0;
	}
}

static int get_len(const char **f)
{
	int len = LEN_INT;
	for (;; (*f)++) {
		if (**f == 'h')
			len = len == LEN_H ? LEN_HH : LEN_H;
		else if (**f == 'l')
			len = len == LEN_L ? LEN_LL : LEN_L;
		else if (**f == 'z')
			len = LEN_Z;
		else
			return len;
	}
}

/* Parse flags, width, precision and length modifier; advances *f. */
static void parse(struct spec *s, const char **f, va_list *ap)
{
	*s = (struct spec){ .prec = -1 };
	for (int flag; (flag = get_flag(**f)); (*f)++)
		s->flags |= flag;
	s->width = get_count(f, ap);
	if (s->width < 0) {	/* a negative '*' width means '-' */
		s->flags |= F_LEFT;
		s->width = -s->width;
	}
	if (**f == '.') {
		(*f)++;
		s->prec = get_count(f, ap);
		if (s->prec < 0)	/* a negative '*' precision means none */
			s->prec = -1;
	}
	s->len = get_len(f);
}

static void convert(struct out *o, const struct spec *s, char c, va_list *ap)
{
	char ch;
	const char *str;
	switch (c) {
	case 'd': case 'i': signed_number(o, s, get_signed(s, ap)); break;
	case 'u': number(o, s, get_unsigned(s, ap), "", 10, 0); break;
	case 'o': number(o, s, get_unsigned(s, ap), "", 8, 0); break;
	case 'x': number(o, s, get_unsigned(s, ap), "", 16, 0); break;
	case 'X': number(o, s, get_unsigned(s, ap), "", 16, 1); break;
	case 'p': number(o, s, (uintptr_t)va_arg(*ap, void *), "0x", 16, 0); break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		field(o, s, "", 0, &ch, 1);
		break;
	case 's':
		str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		field(o, s, "", 0, str, length(str, s->prec));
		break;
	case '%': emit(o, '%'); break;
	default:		/* unknown: show it rather than guess */
		emit(o, '%');
		emit(o, c);
	}
}

int vformat(format_put_t put, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { put, ctx, 0 };
	struct spec s;
	va_list args;
	va_copy(args, ap);	/* a va_list parameter may be an array: copy to point at it */
	while (*fmt) {
		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}
		fmt++;
		parse(&s, &fmt, &args);
		if (!*fmt) {	/* a lone '%' at the end */
			emit(&o, '%');
			break;
		}
		convert(&o, &s, *fmt++, &args);
	}
	va_end(args);
	return o.count;
}
