/*
 * zero.S: page_zero(va), zero one 4 KiB page; page_zero_init(), pick how.
 *
 * Every page a program writes for the first time is a frame zeroed here,
 * so this loop is most of what a new page costs (docs/performance.md).
 * rep stosl stores 4 bytes per step: 1,024 steps a page. SSE stores 16
 * bytes at once: 256 stores, 8 to a turn of the loop.
 *
 * The kernel keeps SSE off (CR4.OSFXSR clear) for everybody else: a
 * thread's FPU state is x87 only (fnsave, proc/fpu.c), so user code can
 * never have anything in an XMM register and they are the kernel's
 * scratch space. page_zero turns SSE on for its loop alone, clears
 * CR0.TS (else the first SSE instruction would raise #NM, the lazy-FPU
 * trap) and puts both registers back as they were.
 *
 * Precondition: interrupts are off (the caller holds a spinlock), so no
 * other code runs while SSE is on and TS is clear. va is page aligned,
 * which movaps needs (16 bytes).
 */
#define CR4_OSFXSR 0x200
#define CPUID_FXSR_SSE 0x03000000	/* CPUID.1:EDX bits 24 and 25 */

	.data
page_zero_sse:
	.byte 0				/* set by page_zero_init */

	.text
/* void page_zero_init(void): use SSE if the CPU has FXSR and SSE. */
	.globl page_zero_init
page_zero_init:
	pushl %ebx			/* cpuid writes ebx: callee-saved */
	movl $1, %eax
	cpuid
	andl $CPUID_FXSR_SSE, %edx
	cmpl $CPUID_FXSR_SSE, %edx
	sete page_zero_sse
	popl %ebx
	ret

/* void page_zero(void *va) */
	.globl page_zero
page_zero:
	movl 4(%esp), %edx		/* the page */
	cmpb $0, page_zero_sse
	je 2f
	movl %cr0, %eax
	pushl %eax			/* TS as it was */
	clts
	movl %cr4, %eax
	pushl %eax			/* OSFXSR as it was: clear */
	orl $CR4_OSFXSR, %eax
	movl %eax, %cr4
	xorps %xmm0, %xmm0
	leal 4096(%edx), %ecx		/* the end */
1:	movaps %xmm0, 0x00(%edx)
	movaps %xmm0, 0x10(%edx)
	movaps %xmm0, 0x20(%edx)
	movaps %xmm0, 0x30(%edx)
	movaps %xmm0, 0x40(%edx)
	movaps %xmm0, 0x50(%edx)
	movaps %xmm0, 0x60(%edx)
	movaps %xmm0, 0x70(%edx)
	addl $0x80, %edx
	cmpl %ecx, %edx
	jne 1b
	popl %eax
	movl %eax, %cr4			/* SSE off again */
	popl %eax
	movl %eax, %cr0			/* TS back */
	ret

2:	pushl %edi			/* no SSE: one word at a time */
	movl %edx, %edi
	xorl %eax, %eax
	movl $1024, %ecx
	rep stosl
	popl %edi
	ret
