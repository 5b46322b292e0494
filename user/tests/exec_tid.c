/* exec_tid.c: exec keeps the thread id. The program execs itself with
 * its tid as an argument; the new image compares it with gettid(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

int main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "again") == 0) {
		CHECK(atoi(argv[2]) == gettid());
		test_done();
	}
	char tid[16];
	snprintf(tid, sizeof tid, "%d", gettid());
	char *args[] = { "exec_tid", "again", tid, NULL };
	exec("exec_tid", args);
	test_fail("exec returned");
}
