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

/* Echo the characters at offsets [shown, end) and count them as shown. */
static void show(struct inputq *q, unsigned end)
{
	while (q->shown < end) {
		/* Up to the end of the line or of the ring, whichever is first. */
		unsigned start = (q->head + q->shown) % INPUT_SIZE;
		unsigned n = end - q->shown;
		if (n > INPUT_SIZE - start)
			n = INPUT_SIZE - start;
		q->echo(&q->buf[start], n);
		q->shown += n;
	}
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
		q->echo("\b", 1);
	}
}

void inputq_put(struct inputq *q, char c)
{
	assert(!q->echoing || q->shown == q->len);	/* echo keeps up */
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
	if (q->echoing) {
		show(q, q->len);
		/* The waiting readline has its line; what follows is for the next. */
		q->echoing = c != '\n';
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

int inputq_readline(struct inputq *q, char *dst, int size)
{
	assert(size > 0);
	unsigned end = q->lines ? first_line(q) : q->len;
	show(q, end);
	q->echoing = q->lines == 0;
	if (q->echoing)
		return -1;
	unsigned n = end < (unsigned)size ? end : (unsigned)size;
	for (unsigned i = 0; i < n; i++)
		dst[i] = *at(q, i);
	if (n == end)
		q->lines--;
	consume(q, n);
	return n;
}
