/* threads_basic.c: thread_fork makes a thread sharing memory with its
 * creator; tids increase; the thread's vanish leaves the task running. */
#include <syscall.h>
#include "testlib.h"

static volatile int flag, child_tid;
static char stack[4096];

/* Switch to the new stack at once, run body(), vanish. Returns the new
 * tid in the parent. */
int spawn(void *stack_top, void (*body)(void));
__asm__(
	".text\n"
	"spawn:\n"
	"	pushl %ebx\n"
	"	movl 8(%esp), %ecx\n	movl 12(%esp), %ebx\n"
	"	int $0x52\n"
	"	testl %eax, %eax\n	jnz 1f\n"
	"	movl %ecx, %esp\n	call *%ebx\n	int $0x60\n"
	"1:	popl %ebx\n	ret\n");

static void body(void)
{
	child_tid = gettid();
	flag = 1;
}

int main(void)
{
	int me = gettid();
	int tid = spawn(stack + sizeof stack, body);
	CHECK(tid > me);
	while (!flag)
		yield(-1);
	CHECK(child_tid == tid);
	while (yield(tid) == 0)	/* until it has vanished */
		;
	CHECK(gettid() == me);
	test_done();
}
