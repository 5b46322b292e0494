/*
 * test_input.c: the input buffer and line discipline
 * (kernel/dev/inputq.c): echo, backspace, partial reads, overflow, and a
 * long random run against a simple linear-buffer model. A readline
 * pulls its echo (inputq_echo) before each attempt, as input.c does;
 * wait() is a readline woken by a key that finds no whole line yet.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/dev/inputq.c"

/* Shim: inputq.c asserts through panic(). */
void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	abort();
}

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

/* Everything echoed since the last echo_is(). */
static char echoed[3 * INPUT_SIZE];
static unsigned echoed_len;

/* Take all the echo owed, in small pieces as input.c does. */
static void pull(struct inputq *q)
{
	char piece[5];
	unsigned n;
	while ((n = inputq_echo(q, piece, sizeof piece)) > 0) {
		if (echoed_len + n > sizeof echoed)
			panic("echo overflow");
		memcpy(echoed + echoed_len, piece, n);
		echoed_len += n;
	}
}

/* True if the echo since the last call is exactly want; resets it. */
static bool echo_is(const char *want)
{
	bool ok = echoed_len == strlen(want) && memcmp(echoed, want, echoed_len) == 0;
	if (!ok)
		printf("echo was \"%.*s\", want \"%s\"\n", (int)echoed_len, echoed, want);
	echoed_len = 0;
	return ok;
}

static void type(struct inputq *q, const char *s)
{
	while (*s)
		inputq_put(q, *s++);
}

/* One attempt of a readline: its echo, then the line if there is one. */
static int attempt(struct inputq *q, char *dst, int size)
{
	pull(q);
	return inputq_readline(q, dst, size);
}

/* A waiting readline, woken: echoes, finds no whole line. */
static void wait(struct inputq *q)
{
	char buf[1];
	CHECK(attempt(q, buf, 1) == -1);
}

/* readline that must succeed: returns the line as a string. */
static const char *readline(struct inputq *q, int size)
{
	static char buf[INPUT_SIZE + 1];
	int n = attempt(q, buf, size);
	CHECK(n >= 0 && n <= size);
	buf[n < 0 ? 0 : n] = 0;
	return buf;
}

static void fresh(struct inputq *q)
{
	*q = (struct inputq){ .head = 0 };
	echoed_len = 0;
}

static struct inputq q;

static void test_no_reader_no_echo(void)
{
	fresh(&q);
	type(&q, "hello\n");
	CHECK(echo_is(""));
	/* The readline that takes it echoes it now, so the user sees it. */
	CHECK(strcmp(readline(&q, 100), "hello\n") == 0);
	CHECK(echo_is("hello\n"));
	type(&q, "xy");
	CHECK(echo_is(""));
	wait(&q);		/* partial line: echoed, waits */
	CHECK(echo_is("xy"));
	type(&q, "z");
	wait(&q);
	CHECK(echo_is("z"));
	type(&q, "\n");
	CHECK(strcmp(readline(&q, 100), "xyz\n") == 0);
	CHECK(echo_is("\n"));
	pull(&q);
	CHECK(echo_is(""));	/* nothing twice */
}

static void test_backspace(void)
{
	fresh(&q);
	wait(&q);
	type(&q, "\b\b");	/* empty line: nothing happens */
	wait(&q);
	CHECK(echo_is(""));
	type(&q, "abd");
	wait(&q);
	type(&q, "\bc\n");	/* 'd' is on the screen: rubbed out */
	CHECK(strcmp(readline(&q, 16), "abc\n") == 0);
	CHECK(echo_is("abd\bc\n"));
	/* Backspace cannot cross a '\n' into a finished line. */
	type(&q, "one\n\b\btwo\n");
	CHECK(strcmp(readline(&q, 16), "one\n") == 0);
	CHECK(strcmp(readline(&q, 16), "two\n") == 0);
	CHECK(echo_is("one\ntwo\n"));
	/* Unechoed edits stay off the screen. */
	type(&q, "ab\b\b\bcd");
	CHECK(echo_is(""));
	wait(&q);
	CHECK(echo_is("cd"));
	type(&q, "\b\b\b");
	CHECK(echo_is(""));	/* owed until the reader runs */
	wait(&q);
	CHECK(echo_is("\b\b"));
	CHECK(q.len == 0);
	/* Erased before the reader ran: never on the screen. */
	type(&q, "xy\b\b");
	wait(&q);
	CHECK(echo_is(""));
}

static void test_partial_reads(void)
{
	fresh(&q);
	type(&q, "abcdef\nxy\n");
	CHECK(strcmp(readline(&q, 4), "abcd") == 0);
	CHECK(echo_is("abcdef\n"));	/* the whole line is shown at once */
	CHECK(strcmp(readline(&q, 2), "ef") == 0);
	CHECK(strcmp(readline(&q, 5), "\n") == 0);
	CHECK(echo_is(""));
	CHECK(inputq_getchar(&q) == 'x');
	CHECK(inputq_getchar(&q) == 'y');
	CHECK(inputq_getchar(&q) == '\n');
	CHECK(inputq_getchar(&q) == -1);
	CHECK(echo_is(""));	/* getchar never echoes */
	/* Exactly size bytes of a line that fits exactly. */
	type(&q, "abc\n");
	CHECK(strcmp(readline(&q, 4), "abc\n") == 0);
	CHECK(q.lines == 0 && q.len == 0);
}

static void test_getchar_and_edit(void)
{
	fresh(&q);
	type(&q, "abc");
	CHECK(inputq_getchar(&q) == 'a');
	CHECK(inputq_getchar(&q) == 'b');
	type(&q, "\b\b\b");	/* only 'c' is still pending */
	CHECK(q.len == 0 && q.line == 0);
	type(&q, "\xff");
	CHECK(inputq_getchar(&q) == 0xff);	/* non-negative: the low 8 bits */
	CHECK(echo_is(""));
}

/* Typed after the waiting readline's '\n': for the next reader, unechoed. */
static void test_echo_stops_at_newline(void)
{
	fresh(&q);
	wait(&q);
	type(&q, "ab\ncd");
	CHECK(strcmp(readline(&q, 16), "ab\n") == 0);
	CHECK(echo_is("ab\n"));
	type(&q, "e");
	CHECK(echo_is(""));
	wait(&q);
	CHECK(echo_is("cde"));
}

static void test_overflow(void)
{
	fresh(&q);
	for (int i = 0; i < INPUT_SIZE; i++)
		inputq_put(&q, 'a' + i % 26);
	CHECK(q.len == INPUT_SIZE);
	type(&q, "XYZ\n");	/* dropped, '\n' too */
	CHECK(q.len == INPUT_SIZE && q.lines == 0);
	type(&q, "\b\b");	/* '\b' still works on a full buffer */
	CHECK(q.len == INPUT_SIZE - 2);
	type(&q, "!\n");
	CHECK(q.len == INPUT_SIZE && q.lines == 1);
	static char buf[INPUT_SIZE];
	CHECK(attempt(&q, buf, INPUT_SIZE) == INPUT_SIZE);
	CHECK(buf[INPUT_SIZE - 3] == 'a' + (INPUT_SIZE - 3) % 26);
	CHECK(buf[INPUT_SIZE - 2] == '!' && buf[INPUT_SIZE - 1] == '\n');
	CHECK(echoed_len == INPUT_SIZE);
	echoed_len = 0;
	CHECK(q.len == 0);
}

/* A line that straddles the end of the ring is echoed and read whole. */
static void test_wraparound(void)
{
	fresh(&q);
	for (int i = 0; i < INPUT_SIZE - 3; i++)
		inputq_put(&q, 'x');
	for (int i = 0; i < INPUT_SIZE - 3; i++)
		CHECK(inputq_getchar(&q) == 'x');
	CHECK(q.head == INPUT_SIZE - 3);
	type(&q, "wrapped\n");
	CHECK(strcmp(readline(&q, 100), "wrapped\n") == 0);
	CHECK(echo_is("wrapped\n"));
}

/*
 * The model: the same discipline on a linear buffer, with the line and
 * line counts recomputed from the text every time instead of tracked.
 */
struct model {
	char s[INPUT_SIZE];
	unsigned len, shown, rubout;
	char echo[3 * INPUT_SIZE];
	unsigned echo_len;
};

static unsigned model_line(const struct model *m)
{
	unsigned n = 0;
	while (n < m->len && m->s[m->len - 1 - n] != '\n')
		n++;
	return n;
}

static void model_put(struct model *m, char c)
{
	if (c == '\b') {
		if (model_line(m) > 0 && --m->len < m->shown) {
			m->shown = m->len;
			m->rubout++;
		}
		return;
	}
	if (m->len == INPUT_SIZE)
		return;
	m->s[m->len++] = c;
}

static void model_take(struct model *m, unsigned n)
{
	memmove(m->s, m->s + n, m->len - n);
	m->len -= n;
	m->shown = m->shown > n ? m->shown - n : 0;
}

/* The echo a readline owes: rubouts, then its characters not shown. */
static void model_echo(struct model *m)
{
	char *nl = memchr(m->s, '\n', m->len);
	unsigned end = nl ? (unsigned)(nl - m->s) + 1 : m->len;
	for (; m->rubout; m->rubout--)
		m->echo[m->echo_len++] = '\b';
	for (; m->shown < end; m->shown++)
		m->echo[m->echo_len++] = m->s[m->shown];
}

static int model_readline(struct model *m, char *dst, unsigned size)
{
	char *nl = memchr(m->s, '\n', m->len);
	unsigned end = nl ? (unsigned)(nl - m->s) + 1 : m->len;
	if (!nl)
		return -1;
	unsigned n = end < size ? end : size;
	memcpy(dst, m->s, n);
	model_take(m, n);
	return n;
}

static int model_getchar(struct model *m)
{
	if (!m->len)
		return -1;
	unsigned char c = m->s[0];
	model_take(m, 1);
	return c;
}

static unsigned model_lines(const struct model *m)
{
	unsigned n = 0;
	for (unsigned i = 0; i < m->len; i++)
		n += m->s[i] == '\n';
	return n;
}

static bool same_state(const struct model *m)
{
	for (unsigned i = 0; i < m->len; i++)
		if (*at(&q, i) != m->s[i])
			return false;
	return q.len == m->len && q.shown == m->shown && q.rubout == m->rubout &&
	       q.line == model_line(m) && q.lines == model_lines(m) &&
	       echoed_len == m->echo_len && memcmp(echoed, m->echo, echoed_len) == 0;
}

/* One random operation on both; false at the first divergence. */
static bool random_step(struct model *m, unsigned step)
{
	static const char alphabet[] = "ab\b\b\n";
	static char got[INPUT_SIZE], want[INPUT_SIZE];
	int r = rand() % 100;
	if (r < 80) {
		/* Bursts: long enough to fill the buffer now and then. */
		int n = rand() % 2 ? 1 : rand() % 600;
		for (int i = 0; i < n; i++) {
			char c = alphabet[rand() % (sizeof alphabet - 1)];
			if (rand() % 8 == 0)
				c = 'z';
			inputq_put(&q, c);
			model_put(m, c);
		}
	} else if (r < 90) {
		CHECK(inputq_getchar(&q) == model_getchar(m));
	} else {
		int size = 1 + rand() % (rand() % 2 ? 8 : INPUT_SIZE);
		model_echo(m);
		int a = attempt(&q, got, size), b = model_readline(m, want, size);
		CHECK(a == b && (a < 0 || memcmp(got, want, a) == 0));
	}
	if (same_state(m))
		return true;
	printf("random run diverged at step %u (len %u/%u shown %u/%u)\n",
	       step, q.len, m->len, q.shown, m->shown);
	return false;
}

static void test_random_against_model(void)
{
	static struct model m;
	srand(410);
	for (int round = 0; round < 20; round++) {
		fresh(&q);
		memset(&m, 0, sizeof m);
		for (unsigned step = 0; step < 2000; step++) {
			if (!random_step(&m, step)) {
				failures++;
				return;
			}
			if (echoed_len > INPUT_SIZE) {	/* keep both echo logs short */
				echoed_len = m.echo_len = 0;
			}
		}
	}
}

int main(void)
{
	test_no_reader_no_echo();
	test_backspace();
	test_partial_reads();
	test_getchar_and_edit();
	test_echo_stops_at_newline();
	test_overflow();
	test_wraparound();
	test_random_against_model();
	if (failures)
		printf("test_input: %d failure(s)\n", failures);
	return failures != 0;
}
