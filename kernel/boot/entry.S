/*
 * entry.S: where the loader hands over.
 *
 * A Multiboot v1 loader (QEMU -kernel, GRUB) finds the header below in the
 * first 8 KiB of the image, loads the ELF at 1 MiB and jumps to _start in
 * 32-bit protected mode, paging off, interrupts off, with
 * %eax = 0x2BADB002 and %ebx = the physical address of the multiboot info.
 * We only need a stack before C can run.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003	/* page-align modules, give us the memory map */

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp		/* ends the backtrace chain */
	pushl $0		/* keeps the stack 16-byte aligned for C */
	pushl $0
	pushl %ebx		/* multiboot info */
	pushl %eax		/* magic */
	call kernel_main
1:	cli
	hlt
	jmp 1b

	.bss
	.balign 4096
	.globl boot_stack, boot_stack_top
boot_stack:
	.space 16384
boot_stack_top:
