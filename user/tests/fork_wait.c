/* fork_wait.c: fork returns twice - the child's id in the parent, 0 in
 * the child - and wait returns that id with the child's exit status. */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

int main(void)
{
	int me = gettid();
	int pid = fork();
	if (pid == 0) {
		CHECK(gettid() != me);
		exit(42);
	}
	CHECK(pid > 0);
	int status = 0;
	CHECK(wait(&status) == pid);
	CHECK(status == 42);

	pid = fork();
	if (pid == 0) {
		set_status(7);
		vanish();
	}
	CHECK(wait(NULL) == pid);	/* NULL: do not store */
	CHECK(gettid() == me);
	test_done();
}
