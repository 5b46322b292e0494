/*
 * format.c: the one printf engine of the kernel (see format.h).
 */
#include <stdint.h>
#include <stdbool.h>
#include "lib/format.h"

struct spec {
	bool left, plus, space, alt, zero;
	int width, prec;	/* prec < 0: none given */
	int len;		/* -2 hh, -1 h, 0 int, 1 l/z, 2 ll */
};

struct out {
	format_put_t put;
	void *ctx;
	int n;
};

static void emit(struct out *o, char c)
{
	o->put(o->ctx, c);
	o->n++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		emit(o, c);
}

/* Digits of v in base, least significant first; returns the count. */
static int digits(char *buf, unsigned long long v, unsigned base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;
	do {
		buf[n++] = set[v % base];
		v /= base;
	} while (v);
	return n;
}

static void number(struct out *o, struct spec *s, unsigned long long v,
		   bool neg, unsigned base, bool upper)
{
	char buf[24];
	int nd = digits(buf, v, base, upper);
	if (s->prec == 0 && v == 0)
		nd = 0;		/* "%.0d" of 0 prints nothing */
	const char *prefix = neg ? "-" : s->plus ? "+" : s->space ? " " : "";
	if (s->alt && base == 16 && v)
		prefix = upper ? "0X" : "0x";
	int zeros = s->prec > nd ? s->prec - nd : 0;
	if (s->alt && base == 8 && zeros == 0 && (nd == 0 || buf[nd - 1] != '0'))
		zeros = 1;
	int plen = 0;
	while (prefix[plen])
		plen++;
	int body = plen + zeros + nd;
	if (s->zero && !s->left && s->prec < 0 && s->width > body)
		zeros += s->width - body, body = s->width;
	if (!s->left)
		pad(o, ' ', s->width - body);
	for (int i = 0; i < plen; i++)
		emit(o, prefix[i]);
	pad(o, '0', zeros);
	while (nd)
		emit(o, buf[--nd]);
	if (s->left)
		pad(o, ' ', s->width - body);
}

/* An unsigned conversion: the sign flags '+' and ' ' do not apply. */
static void unsigned_number(struct out *o, struct spec *s, unsigned long long v,
			    unsigned base, bool upper)
{
	s->plus = s->space = false;
	number(o, s, v, false, base, upper);
}

static void string(struct out *o, struct spec *s, const char *str)
{
	if (!str)
		str = "(null)";
	int n = 0;
	while (str[n] && (s->prec < 0 || n < s->prec))
		n++;
	if (!s->left)
		pad(o, ' ', s->width - n);
	for (int i = 0; i < n; i++)
		emit(o, str[i]);
	if (s->left)
		pad(o, ' ', s->width - n);
}

/* Parse flags, width, precision and length at *fmt; advances *fmt. */
static void parse(struct spec *s, const char **fmt, va_list *ap)
{
	const char *f = *fmt;
	*s = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-') s->left = true;
		else if (*f == '+') s->plus = true;
		else if (*f == ' ') s->space = true;
		else if (*f == '#') s->alt = true;
		else if (*f == '0') s->zero = true;
		else break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int), f++;
		if (s->width < 0)
			s->left = true, s->width = -s->width;
	}
	while (*f >= '0' && *f <= '9')
		s->width = s->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++, s->prec = 0;
		if (*f == '*')
			s->prec = va_arg(*ap, int), f++;
		while (*f >= '0' && *f <= '9')
			s->prec = s->prec * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'h') s->len--;
		else if (*f == 'l') s->len++;
		else if (*f == 'z') s->len = 1;
		else break;
	}
	*fmt = f;
}

static unsigned long long get_unsigned(struct spec *s, va_list *ap)
{
	switch (s->len) {
	case 2: return va_arg(*ap, unsigned long long);
	case 1: return va_arg(*ap, unsigned long);
	case -1: return (unsigned short)va_arg(*ap, unsigned);
	case -2: return (unsigned char)va_arg(*ap, unsigned);
	default: return va_arg(*ap, unsigned);
	}
}

static long long get_signed(struct spec *s, va_list *ap)
{
	switch (s->len) {
	case 2: return va_arg(*ap, long long);
	case 1: return va_arg(*ap, long);
	case -1: return (short)va_arg(*ap, int);
	case -2: return (signed char)va_arg(*ap, int);
	default: return va_arg(*ap, int);
	}
}

static void conversion(struct out *o, struct spec *s, char c, va_list *ap)
{
	switch (c) {
	case 'd': case 'i': {
		long long v = get_signed(s, ap);
		unsigned long long m = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
		number(o, s, m, v < 0, 10, false);
		break;
	}
	case 'u': unsigned_number(o, s, get_unsigned(s, ap), 10, false); break;
	case 'o': unsigned_number(o, s, get_unsigned(s, ap), 8, false); break;
	case 'x': unsigned_number(o, s, get_unsigned(s, ap), 16, false); break;
	case 'X': unsigned_number(o, s, get_unsigned(s, ap), 16, true); break;
	case 'p':
		s->alt = true;
		unsigned_number(o, s, (uintptr_t)va_arg(*ap, void *), 16, false);
		break;
	case 'c': {
		char ch = (char)va_arg(*ap, int);
		if (!s->left)
			pad(o, ' ', s->width - 1);
		emit(o, ch);
		if (s->left)
			pad(o, ' ', s->width - 1);
		break;
	}
	case 's': string(o, s, va_arg(*ap, const char *)); break;
	case '%': emit(o, '%'); break;
	default:	/* unknown: show it rather than guess */
		emit(o, '%');
		if (c)
			emit(o, c);
	}
}

int vformat(format_put_t put, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { put, ctx, 0 };
	struct spec s;
	va_list args;
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}
		fmt++;
		parse(&s, &fmt, &args);
		conversion(&o, &s, *fmt, &args);
		if (*fmt)
			fmt++;
	}
	va_end(args);
	return o.n;
}

struct sbuf {
	char *buf;
	size_t size, len;
};

static void sbuf_put(void *ctx, char c)
{
	struct sbuf *b = ctx;
	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf b = { buf, size, 0 };
	int n = vformat(sbuf_put, &b, fmt, ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = 0;
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
