/* readline.c: readline refuses size < 0, size > 4096 and a buffer it
 * cannot write (read-only, unmapped, kernel, partly mapped) at once,
 * and readline(0, buf) is 0. (Fable checks before waiting for input;
 * the ABI would also allow checking late.)
 *
 * With the argument "typed" it reads what tests/cases_abi.py types on
 * the keyboard, announcing each step on the debug log: an edited line,
 * a line longer than the buffer (the rest stays queued for readline and
 * getchar), and backspaces on an empty line. */
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define REGION 0x40000000u
#define LINE_MAX 1023		/* what programs pass; must be accepted */

int main(int argc, char *argv[]);

static char buf[LINE_MAX + 1];

static void errors(void)
{
	CHECK(readline(-1, buf) < 0);
	CHECK(readline(INT_MIN, buf) < 0);
	CHECK(readline(4097, buf) < 0);
	CHECK(readline(INT_MAX, buf) < 0);
	CHECK(readline(10, (char *)main) < 0);	/* read-only text */
	CHECK(readline(10, NULL) < 0);
	CHECK(readline(10, (char *)0x500000) < 0);
	CHECK(readline(10, (char *)0x00FFFFFC) < 0);
	CHECK(readline(10, (char *)0xDEAD0000) < 0);
	CHECK(new_pages((void *)REGION, PAGE_SIZE) == 0);
	CHECK(readline(10, (char *)REGION + PAGE_SIZE - 5) < 0);
	CHECK(readline(4096, (char *)REGION + 1) < 0);
	CHECK(remove_pages((void *)REGION) == 0);
	CHECK(readline(0, buf) == 0);
}

/* Report n bytes of buf on one line, a newline shown as \n. */
static void report(int n)
{
	char shown[2 * LINE_MAX + 1];
	int len = 0;
	for (int i = 0; i < n && i < LINE_MAX; i++) {
		if (buf[i] == '\n')
			shown[len++] = '\\', shown[len++] = 'n';
		else
			shown[len++] = buf[i];
	}
	shown[len] = '\0';
	tprintf("readline: got %d '%s'\n", n, shown);
}

/* readline(size) into a cleared buffer; reports what came. */
static int read_into(int size)
{
	memset(buf, 0, sizeof buf);
	int n = readline(size, buf);
	report(n);
	return n;
}

static void typed(void)
{
	tprintf("readline: step 1\n");		/* "Hello Wxq\b\borld\n" */
	CHECK(read_into(LINE_MAX) == 12 && strcmp(buf, "Hello World\n") == 0);

	tprintf("readline: step 2\n");		/* "abcdefgh\n" */
	CHECK(read_into(5) == 5 && strcmp(buf, "abcde") == 0);
	CHECK(read_into(2) == 2 && strcmp(buf, "fg") == 0);
	int c1 = getchar(), c2 = getchar();
	tprintf("readline: getchar %d %d\n", c1, c2);
	CHECK(c1 == 'h' && c2 == '\n');

	tprintf("readline: step 3\n");		/* "\b\bxy\b\b\bok\n" */
	CHECK(read_into(LINE_MAX) == 3 && strcmp(buf, "ok\n") == 0);
}

int main(int argc, char *argv[])
{
	if (argc == 2 && strcmp(argv[1], "typed") == 0)
		typed();
	else
		errors();
	test_done();
}
