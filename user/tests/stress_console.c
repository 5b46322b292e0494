/* runner: timeout=90 args=lines=12 driven=stress_console_typed */
/*
 * stress_console.c: the console shared by many threads at once. Three
 * threads call readline and two call getchar in loops while three more
 * print lines until all is read; meanwhile the runner types `lines`
 * lines "lineNN abcdefghij" (tests/cases_fuzz.py), then empty lines until
 * we say all was read (a getchar may take a line's '\n' and leave the
 * rest waiting in a readline). Every character typed but '\n' reaches
 * exactly one reader (count and sum match), readline hands out
 * whole lines only (a '\n' ends them and none is inside), and no print
 * is cut by another (the runner finds every printed line whole on
 * serial). Started by itself, with nobody typing, it waits for ever.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include "stress.h"
#include "testlib.h"

#define READLINERS 3
#define GETCHARERS 2
#define PRINTERS 3
#define PRINTS 40
#define STACK 8192
#define LINE "line%02d abcdefghij\n"	/* what the runner types */

static int lines = 12;

static void add(volatile int *to, int n)
{
	__asm__ volatile("lock xaddl %0, %1" : "+r"(n), "+m"(*to) : : "memory");
}
static volatile int got, sum, bad_line, typed, printers_left = PRINTERS;	/* xadd */

/* Count a character received (newlines are not counted: the runner
 * types as many empty lines as it takes). */
static void received(int c)
{
	if (c != '\n') {
		add(&sum, c);
		add(&got, 1);
	}
}


/* A whole line: n > 0 bytes, the last one (and only it) '\n'. */
static int whole_line(const char *buf, int n)
{
	for (int i = 0; i < n - 1; i++)
		if (buf[i] == '\n')
			return 0;
	return n > 0 && buf[n - 1] == '\n';
}

static void *readliner(void *arg)
{
	char buf[128];
	for (;;) {
		int n = readline(sizeof buf, buf);
		if (!whole_line(buf, n))
			bad_line = 1;
		for (int i = 0; i < n; i++)
			received((unsigned char)buf[i]);
	}
	return arg;
}

static void *getcharer(void *arg)
{
	for (;;) {
		received(getchar());
	}
	return arg;
}

static void *printer(void *arg)
{
	char line[64];
	for (int i = 0; i < PRINTS || !typed; i++) {
		int n = snprintf(line, sizeof line, "P%d %02d xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
				 (int)arg, i);
		CHECK(print(n, line) == 0);
		sleep(1);	/* a steady stream, not a flood of serial */
	}
	add(&printers_left, -1);
	return arg;
}

/* Characters but '\n', and their sum, of the lines the runner types. */
static void expected(int lines, int *count, int *total)
{
	char line[32];
	*count = *total = 0;
	for (int i = 0; i < lines; i++) {
		int n = snprintf(line, sizeof line, LINE, i) - 1;
		*count += n;
		for (int j = 0; j < n; j++)
			*total += (unsigned char)line[j];
	}
}

/* In a task of its own: its exit ends the readers still waiting. */
static void console_work(void)
{
	int count, total;
	expected(lines, &count, &total);
	CHECK(thr_init(STACK) == 0);
	for (int i = 0; i < READLINERS; i++)
		CHECK(thr_create(readliner, NULL) > 0);
	for (int i = 0; i < GETCHARERS; i++)
		CHECK(thr_create(getcharer, NULL) > 0);
	for (int i = 0; i < PRINTERS; i++)
		CHECK(thr_create(printer, (void *)i) > 0);
	tprintf("stress_console: ready for %d lines\n", lines);
	while (got < count)
		sleep(5);
	tprintf("stress_console: all read\n");
	typed = 1;
	while (printers_left > 0)
		sleep(5);
	sleep(20);	/* a character too many would come now */
	tprintf("stress_console: %d characters (sum %d) of %d (sum %d)\n", got, sum, count,
		total);
	CHECK(got == count && sum == total && !bad_line);
}

int main(int argc, char **argv)
{
	kstat_t base;
	if (argc > 1 && !strncmp(argv[1], "lines=", 6))
		lines = atoi(argv[1] + 6);
	stress_begin(&base);
	test_in_child(console_work);
	print(1, "\n");
	stress_end(&base);
}
