/*
 * trampoline.S: where an application processor starts (docs/smp.md).
 *
 * A start-up IPI wakes the AP in real mode at vector << 12, so smp.c
 * copies this code to AP_TRAMPOLINE (a page below 1 MiB that mm_init
 * keeps free) and fills in the three words at its end. The code runs at
 * that copy, not where it was linked: every address it uses is computed
 * as AP_TRAMPOLINE + (label - ap_tramp_start). It takes the CPU to
 * protected mode with a GDT of its own (flat code and data), turns on
 * paging with the kernel's page directory, takes the stack smp.c gave
 * it and jumps to the C entry, which never returns.
 */
#include "mm/layout.h"

#define T(label)	(AP_TRAMPOLINE + ((label) - ap_tramp_start))
#define CR0_PE		0x00000001
#define CR0_PG_WP	0x80010000
#define CR4_PGE		0x00000080

	.text
	.code16
	.globl ap_tramp_start, ap_tramp_end, ap_tramp_cr3, ap_tramp_stack, ap_tramp_entry
ap_tramp_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	lgdtl	T(tgdtr)
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $T(pm32)

	.code32
pm32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	T(ap_tramp_cr3), %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$CR4_PGE, %eax
	movl	%eax, %cr4
	movl	%cr0, %eax
	orl	$CR0_PG_WP, %eax
	movl	%eax, %cr0
	movl	T(ap_tramp_stack), %esp
	xorl	%ebp, %ebp		/* the end of backtraces */
	movl	T(ap_tramp_entry), %eax
	jmp	*%eax

	.p2align 3
tgdt:	.quad	0
	.quad	0x00CF9A000000FFFF	/* 0x08: code, 4 GiB, ring 0 */
	.quad	0x00CF92000000FFFF	/* 0x10: data, 4 GiB, ring 0 */
tgdtr:	.word	tgdtr - tgdt - 1
	.long	T(tgdt)

	.p2align 2
ap_tramp_cr3:	.long 0		/* filled in by smp.c */
ap_tramp_stack:	.long 0
ap_tramp_entry:	.long 0
ap_tramp_end:
