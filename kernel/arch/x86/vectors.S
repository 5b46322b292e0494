/*
 * vectors.S: the first and the last instructions of every interrupt.
 *
 * Each of the 256 vectors has a 16-byte stub at trap_stubs + 16 * vector.
 * The CPU has already pushed (ss, esp if from ring 3,) eflags, cs, eip and,
 * for some exceptions, an error code. The stub evens out the frame with a
 * dummy error code, saves the general registers with pushal (leaving %eax
 * and %ecx free), puts the vector in %eax and the page-fault address (or
 * 0) in %ecx and jumps to trap_common, which completes a struct trapframe
 * (trap.h, the same layout as ureg_t) and calls trap(tf). Returning
 * reverses it all and ends in iret.
 *
 * The segment registers (docs/interrupts.md, "Segment registers on the
 * way in and out"): the kernel runs with the user data selector,
 * SEL_UDATA, in %ds and %es - a flat writable descriptor that only the
 * kernel can change, usable at CPL 0 - so entry and exit load them only
 * when the interrupted code held something else. The kernel never uses
 * %fs or %gs (no instruction outside this file and gdt_init() names
 * them; the case kernel_ignores_fs_gs checks it): they keep whatever
 * the interrupted code had, and trap_return loads them only when they
 * differ from the frame's.
 */
#include "arch/x86/seg.h"

	.text
	.balign 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	/* Vectors for which the CPU pushes an error code itself. */
	.if (vec != 8) && (vec < 10 || vec > 14) && (vec != 17) && (vec != 21) && (vec != 29) && (vec != 30)
	pushl $0
	.endif
	pushal
	.if vec == 14
	movl %cr2, %ecx		/* read before anything can fault again */
	.else
	xorl %ecx, %ecx
	.endif
	movl $vec, %eax
	jmp trap_common
	.org trap_stubs + 16 * (vec + 1)	/* an error if the stub outgrew 16 bytes */
	.set vec, vec + 1
	.endr

/*
 * Offsets from %esp of the frame's selectors once cause and cr2 are
 * pushed. Each is a 32-bit slot of which only the low 16 bits are
 * defined (a push of a segment register may write only those), hence
 * the 16-bit compares.
 */
#define TF_DS 8
#define TF_ES 12
#define TF_FS 16
#define TF_GS 20

trap_common:
	pushl %gs
	pushl %fs
	pushl %es
	pushl %ds
	pushl %ecx		/* cr2 */
	pushl %eax		/* cause */
	/* Nothing has used %ds or %es yet (pushes go through %ss). They may
	 * hold a null, the user code selector (not writable) or another
	 * RPL: unless both are exactly SEL_UDATA, load it. */
	cmpw $SEL_UDATA, TF_DS(%esp)
	jne load_data_segs
	cmpw $SEL_UDATA, TF_ES(%esp)
	jne load_data_segs
data_segs_ok:
	cld
	pushl %esp		/* trap(struct trapframe *tf) */
	call trap
	addl $4, %esp
	/* fall through */

/*
 * trap_return: resume the context described by the trapframe at %esp.
 * New threads also start here (their first "return" from a system call).
 * Precondition: %ds = %es = SEL_UDATA, as everywhere in the kernel.
 * Fast path: the frame wants SEL_UDATA in %ds and %es and the %fs and
 * %gs that are loaded already; then iret has nothing more to restore.
 */
	.globl trap_return
trap_return:
#ifdef FABLE_DEBUG
	/* A kernel context with another %ds would hand it to ring 3
	 * unseen, and QEMU would not mind a null one (docs/interrupts.md). */
	movw %ds, %ax
	cmpw $SEL_UDATA, %ax
	jne bad_kernel_segs
	movw %es, %ax
	cmpw $SEL_UDATA, %ax
	jne bad_kernel_segs
#endif
	cmpw $SEL_UDATA, TF_DS(%esp)
	jne load_frame_segs
	cmpw $SEL_UDATA, TF_ES(%esp)
	jne load_frame_segs
	movw %fs, %ax		/* %eax is popped below */
	cmpw TF_FS(%esp), %ax
	jne load_frame_segs
	movw %gs, %ax
	cmpw TF_GS(%esp), %ax
	jne load_frame_segs
	addl $24, %esp		/* cause, cr2, ds, es, fs, gs */
	popal
	addl $4, %esp		/* error code */
	iret

/* The slow paths, out of the way of the fast ones. */
load_data_segs:
	movw $SEL_UDATA, %dx
	movw %dx, %ds
	movw %dx, %es
	jmp data_segs_ok

/* Every selector in a frame can be loaded at CPL 0: the user loaded it
 * at CPL 3 (stricter), or the kernel put SEL_UDATA there (loader, swexn),
 * or it is a kernel context's own. From here on nothing may use %ds or
 * %es: the frame's may be null or read-only. */
load_frame_segs:
	addl $8, %esp		/* cause, cr2 */
	popl %ds
	popl %es
	popl %fs
	popl %gs
	popal
	addl $4, %esp		/* error code */
	iret

#ifdef FABLE_DEBUG
bad_kernel_segs:
	xorl %ecx, %ecx
	movw %es, %cx
	pushl %ecx
	movw %ds, %cx
	pushl %ecx
	movw $SEL_UDATA, %ax	/* what panic() needs */
	movw %ax, %ds
	movw %ax, %es
	pushl $bad_segs_msg
	call panic

	.section .rodata
bad_segs_msg:
	.asciz "trap_return: the kernel ran with %%ds=%#x %%es=%#x, not SEL_UDATA"
#endif
