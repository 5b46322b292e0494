/*
 * inputq.c: ring buffer and line editing of the input stream (see
 * inputq.h). Positions below are offsets from head: 0 is the oldest
 * character, len - 1 the newest.
 */
#include "dev/inputq.h"
#include "lib/panic.h"

static char *at(struct inputq *q, unsigned off)
{
	return &q->buf[(q->head + off) % INPUT_SIZE];
}

/* Drop the n oldest characters (the caller has read them). */
static void consume(struct inputq *q, unsigned n)
{
	q->head = (q->head + n) % INPUT_SIZE;
	q->len -= n;
	q->shown = q->shown > n ? q->shown - n : 0;
	if (q->line > q->len)	/* a getchar took part of the current line */
		q->line = q->len;
}

/* '\b': remove the newest character of the current line, if any. */
static void erase(struct inputq *q)
{
	if (q->line == 0)
		return;
	q->line--;
	q->len--;
	if (q->shown > q->len) {	/* it was on the screen: rub it out */
		q->shown = q->len;
		q->rubout++;
	}
}

void inputq_put(struct inputq *q, char c)
{
	if (c == '\b') {
		erase(q);
		return;
	}
	if (q->len == INPUT_SIZE)
		return;		/* full: dropped (docs/abi/console.md §2.2) */
	*at(q, q->len++) = c;
	if (c == '\n') {
		q->lines++;
		q->line = 0;
	} else {
		q->line++;
	}
}

int inputq_getchar(struct inputq *q)
{
	if (q->len == 0)
		return -1;
	unsigned char c = *at(q, 0);
	if (c == '\n')
		q->lines--;
	consume(q, 1);
	return c;
}

/* Length of the first line, '\n' included. Caller checked q->lines > 0. */
static unsigned first_line(struct inputq *q)
{
	unsigned n = 0;
	while (n < q->len && *at(q, n) != '\n')
		n++;
	assert(n < q->len);	/* lines > 0 means a '\n' is buffered */
	return n + 1;
}

/* Where the echo owed to the next readline ends: its line's end. */
static unsigned echo_end(struct inputq *q)
{
	return q->lines ? first_line(q) : q->len;
}

unsigned inputq_echo(struct inputq *q, char *dst, unsigned max)
{
	unsigned n = 0;
	for (; n < max && q->rubout; q->rubout--)
		dst[n++] = '\b';
	unsigned end = echo_end(q);
	for (; n < max && q->shown < end; q->shown++)
		dst[n++] = *at(q, q->shown);
	return n;
}

int inputq_readline(struct inputq *q, char *dst, int size)
{
	assert(size > 0);
	if (q->lines == 0)
		return -1;
	unsigned end = first_line(q);
	unsigned n = end < (unsigned)size ? end : (unsigned)size;
	for (unsigned i = 0; i < n; i++)
		dst[i] = *at(q, i);
	if (n == end)
		q->lines--;
	consume(q, n);
	return n;
}
