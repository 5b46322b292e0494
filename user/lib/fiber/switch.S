/*
 * switch.S: the fiber context switch (fiber_int.h, docs/lie-fibers.md).
 *
 * A fiber only ever leaves through a call of fiber_swtch, so by the C
 * calling convention the caller has already saved whatever it needs of
 * %eax, %ecx, %edx, the flags and the x87 registers: only the four
 * callee-saved registers and %esp are left to keep. No system call, no
 * segment or control register, no FPU image.
 */
#include "fiber_int.h"

	.text
/* struct worker *fiber_swtch(void **save, void *new_sp, struct worker *w) */
	.globl fiber_swtch
	.type fiber_swtch, @function
fiber_swtch:
	movl 4(%esp), %ecx	/* save */
	movl 8(%esp), %edx	/* new_sp */
	movl 12(%esp), %eax	/* w: our return value on the other side */
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, (%ecx)
	movl %edx, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
	.size fiber_swtch, . - fiber_swtch

/* A new fiber's stack holds its record pointer (top word), this
 * address, and SWTCH_SAVED zeros: its first switch pops the zeros
 * (%ebp = 0 ends backtraces) and returns here with %eax = the worker. */
	.globl fiber_start
	.type fiber_start, @function
fiber_start:
	pushl %eax
	call fiber_main		/* never returns */
	.size fiber_start, . - fiber_start

	.section .note.GNU-stack, "", @progbits
