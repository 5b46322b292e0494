/* runner: timeout=240 driven=keys_while_printing */
/*
 * keys_flood.c: typed keys are not lost while a program prints without
 * pause. A printer thread prints console lines as fast as it can; the
 * main thread reads the lines the runner types on the PS/2 keyboard
 * (tests/cases_console.py) and reports each on the debug log, numbered,
 * for the runner to compare with what it typed. After `lines` lines it
 * stops the printer and ends. Started by itself, with nobody typing, it
 * waits for ever.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include "testlib.h"

#define STACK 8192

static volatile int stop;
static char buf[4096];

/* Each print is a block of 4096 bytes of short lines: many scrolls. */
static void *printer(void *arg)
{
	static char block[4096];
	for (unsigned i = 0; !stop; i++) {
		int n = 0;
		while (n + 16 <= (int)sizeof block)
			n += snprintf(block + n, sizeof block - n, "flood %08u\n", i);
		CHECK(print(n, block) == 0);
	}
	return arg;
}

int main(int argc, char **argv)
{
	int lines = 40;
	if (argc > 1 && !strncmp(argv[1], "lines=", 6))
		lines = atoi(argv[1] + 6);
	CHECK(thr_init(STACK) == 0);
	int tid = thr_create(printer, NULL);
	CHECK(tid > 0);
	tprintf("keys_flood: ready for %d lines\n", lines);
	for (int i = 0; i < lines; i++) {
		int n = readline(sizeof buf - 1, buf);
		CHECK(n > 0 && buf[n - 1] == '\n');
		if (n > 0)
			n--;	/* the report shows the line without its '\n' */
		tprintf("keys_flood: got %d %d '%.*s'\n", i, n, n, buf);
	}
	stop = 1;
	CHECK(thr_join(tid, NULL) == 0);
	test_done();
}
