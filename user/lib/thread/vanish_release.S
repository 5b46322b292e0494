/*
 * thr_vanish_release(guard): store 0 to *guard, then vanish, with no
 * use of the stack in between (thr_internals.h). Once the guard is
 * free, a joiner may unmap this thread's stack, so the last instruction
 * that may touch it is the call that brought us here.
 */
#include <syscall_int.h>

	.text
	.globl thr_vanish_release
	.type thr_vanish_release, @function
thr_vanish_release:
	movl 4(%esp), %eax
	movl $0, (%eax)		/* a plain store releases on x86 */
	int $VANISH_INT
	.size thr_vanish_release, . - thr_vanish_release

	.section .note.GNU-stack, "", @progbits
