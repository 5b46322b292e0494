/* exec_errors.c: exec refuses what it cannot run and the caller goes on
 * unharmed: a missing file, a file that is not ELF, bad pointers, too
 * many or too long arguments. */
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

static char *args[600];
static char big[300];

int main(void)
{
	char *argv[] = { "nosuchprogram", NULL };
	CHECK(exec("nosuchprogram", argv) < 0);
	char *dot[] = { ".", NULL };
	CHECK(exec(".", dot) < 0);			/* the listing is not ELF */
	CHECK(exec((char *)0x500000, argv) < 0);	/* name in kernel memory */
	CHECK(exec((char *)0xDEAD0000, argv) < 0);	/* name unmapped */
	CHECK(exec("smoke", (char **)0x500000) < 0);	/* argv in kernel memory */
	char *badarg[] = { "smoke", (char *)0xDEAD0000, NULL };
	CHECK(exec("smoke", badarg) < 0);		/* an unreadable string */
	for (int i = 0; i < 600; i++)
		args[i] = "x";
	CHECK(exec("smoke", args) < 0);			/* over 512 arguments */
	memset(big, 'a', sizeof big - 1);
	char *bigname[] = { big, NULL };
	CHECK(exec(big, bigname) < 0);			/* name over 255 bytes */
	tprintf("exec_errors: still here, tid %d\n", gettid());
	test_done();
}
