/* wait_errors.c: wait fails at once when no child can ever come, leaves
 * the status word alone when it fails, and rejects a status pointer it
 * cannot write without consuming a child. */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define CHILDREN 40

int main(void)
{
	int status = 12345;
	CHECK(wait(&status) < 0);
	CHECK(status == 12345);

	int pid = fork();
	if (pid == 0)
		exit(3);
	CHECK(wait((int *)0x500000) < 0);	/* kernel memory */
	CHECK(wait((int *)main) < 0);		/* read-only text */
	CHECK(wait((int *)0xDEAD0000) < 0);	/* unmapped */
	CHECK(wait(&status) == pid && status == 3);	/* the child was kept */

	for (int i = 0; i < CHILDREN; i++)
		if (fork() == 0)
			exit(i);
	int sum = 0;
	for (int i = 0; i < CHILDREN; i++) {
		CHECK(wait(&status) > 0);
		sum += status;
	}
	CHECK(sum == CHILDREN * (CHILDREN - 1) / 2);
	status = 777;
	CHECK(wait(&status) < 0);
	CHECK(status == 777);
	test_done();
}
