/*
 * vectors.S: the first instructions of every interrupt.
 *
 * Each of the 256 vectors has a 16-byte stub at trap_stubs + 16 * vector.
 * The CPU has already pushed (ss, esp if from ring 3,) eflags, cs, eip and,
 * for some exceptions, an error code. The stub evens out the frame with a
 * dummy error code, saves the general registers with pushal (leaving %eax
 * free) and jumps to trap_common with the vector in %eax. trap_common
 * completes a struct trapframe (trap.h, the same layout as ureg_t) and
 * calls trap(tf). Returning reverses it all and ends in iret.
 */
#include "arch/x86/seg.h"

	.text
	.balign 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	/* Vectors for which the CPU pushes an error code itself. */
	.if (vec != 8) && (vec < 10 || vec > 14) && (vec != 17) && (vec != 21) && (vec != 29) && (vec != 30)
	pushl $0
	.endif
	pushal
	movl $vec, %eax
	jmp trap_common
	.set vec, vec + 1
	.endr

trap_common:
	pushl %gs
	pushl %fs
	pushl %es
	pushl %ds
	xorl %ecx, %ecx		/* cr2 slot: only meaningful for page faults, */
	cmpl $14, %eax		/* and read now, before anything can fault */
	jne 1f			/* again and overwrite it */
	movl %cr2, %ecx
1:	pushl %ecx
	pushl %eax
	movw $SEL_KDATA, %dx
	movw %dx, %ds
	movw %dx, %es
	movw %dx, %fs
	movw %dx, %gs
	cld
	pushl %esp		/* trap(struct trapframe *tf) */
	call trap
	addl $4, %esp
	/* fall through */

/*
 * trap_return: resume the context described by the trapframe at %esp.
 * New threads also start here (their first "return" from a system call).
 */
	.globl trap_return
trap_return:
	addl $8, %esp		/* cause, cr2 */
	popl %ds
	popl %es
	popl %fs
	popl %gs
	popal
	addl $4, %esp		/* error code */
	iret
