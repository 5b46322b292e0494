/* preempt_regs.c: two tasks spin with every general register, the
 * direction flag and an x87 register holding known values, while the
 * timer switches between them; none of the values may change. */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

/* spin_check(loops, v, v): 0 if nothing changed. */
int spin_check(int loops, int fpu_value, int expect);
__asm__(
	".text\n"
	"spin_check:\n"
	"	pushl %ebp\n	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	fildl 24(%esp)\n"		/* st0 = fpu_value */
	"	movl 20(%esp), %ecx\n"
	"	movl $0xA5A5A5A5, %eax\n	movl $0x01234567, %ebx\n"
	"	movl $0x76543210, %edx\n	movl $0xDEADBEEF, %esi\n"
	"	movl $0xCAFEBABE, %edi\n	movl $0x0BADF00D, %ebp\n"
	"	std\n"
	"1:	cmpl $0xA5A5A5A5, %eax\n	jne 2f\n"
	"	cmpl $0x01234567, %ebx\n	jne 2f\n"
	"	cmpl $0x76543210, %edx\n	jne 2f\n"
	"	cmpl $0xDEADBEEF, %esi\n	jne 2f\n"
	"	cmpl $0xCAFEBABE, %edi\n	jne 2f\n"
	"	cmpl $0x0BADF00D, %ebp\n	jne 2f\n"
	"	pushfl\n	testl $0x400, (%esp)\n	leal 4(%esp), %esp\n	jz 2f\n"
	"	decl %ecx\n	jnz 1b\n"
	"	cld\n"
	"	fistpl 24(%esp)\n"
	"	movl 24(%esp), %eax\n	subl 28(%esp), %eax\n"	/* fpu_value copy */
	"	jmp 3f\n"
	"2:	cld\n	fstp %st(0)\n	movl $1, %eax\n"
	"3:	popl %edi\n	popl %esi\n	popl %ebx\n	popl %ebp\n	ret\n");

static int check(int value)
{
	return spin_check(30000000, value, value) == 0;
}

int main(void)
{
	unsigned t0 = get_ticks();
	int pid = fork();
	if (pid == 0)
		exit(check(1111) ? 0 : 1);
	int ok = check(2222);
	int status = -1;
	CHECK(wait(&status) == pid);
	CHECK(ok);
	CHECK(status == 0);
	tprintf("preempt_regs: %u ticks\n", get_ticks() - t0);
	test_done();
}
