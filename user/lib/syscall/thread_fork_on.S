/*
 * thread_fork_on(stack_top, fn, arg): thread_fork (vector 0x52) for the
 * thread library; see thr_internals.h.
 *
 * The child starts with its parent's registers, on its parent's stack.
 * It must not write there (the parent is using it), so everything it
 * needs travels in callee-saved registers, which the kernel copies, and
 * its first act is to switch to its own stack.
 */
#include <syscall_int.h>

	.text
	.globl thread_fork_on
	.type thread_fork_on, @function
thread_fork_on:
	pushl %ebp
	movl %esp, %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl 8(%ebp), %ebx	/* stack_top */
	movl 12(%ebp), %esi	/* fn */
	movl 16(%ebp), %edi	/* arg */
	int $THREAD_FORK_INT
	testl %eax, %eax
	jz 1f
	popl %edi		/* parent: new tid, or negative */
	popl %esi
	popl %ebx
	popl %ebp
	ret
1:
	movl %ebx, %esp		/* child: its own stack from here on */
	xorl %ebp, %ebp		/* ends the frame chain for backtraces */
	pushl %edi
	call *%esi
	int $VANISH_INT		/* fn returned: end this thread only */
	.size thread_fork_on, . - thread_fork_on

	.section .note.GNU-stack, "", @progbits
