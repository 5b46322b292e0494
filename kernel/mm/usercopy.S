/*
 * usercopy.S: the only instructions through which the kernel touches user
 * memory. Each may fault; the page-fault handler (mm/fault.c) first tries
 * to resolve the fault (zero-fill, copy-on-write) and, when the address
 * space does not allow the access, resumes at the fixup that the
 * .extable entry names, which returns -EFAULT. See mm/usercopy.c.
 */
#include "lib/errno.h"

	.text

/* int ucopy(void *dst, const void *src, size_t n): 0 or -EFAULT. */
	.globl ucopy
ucopy:
	pushl %esi
	pushl %edi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	movl %ecx, %edx
	shrl $2, %ecx
	andl $3, %edx
.Lcopy_words:
	rep movsl
	movl %edx, %ecx
.Lcopy_bytes:
	rep movsb
	xorl %eax, %eax
.Lout:
	popl %edi
	popl %esi
	ret
.Lfault:
	movl $-EFAULT, %eax
	jmp .Lout

/* int ucopy_gather(void *dst, const void *const *srcs, size_t n,
 *                  size_t each): n pieces of each bytes (a multiple of 4),
 * from srcs[0], srcs[1], ..., one after another to dst: 0 or -EFAULT.
 * One call for a run of blocks, four instructions a piece besides the
 * copy itself. */
	.globl ucopy_gather
ucopy_gather:
	pushl %esi
	pushl %edi
	pushl %ebx
	movl 16(%esp), %edi
	movl 20(%esp), %ebx
	movl 24(%esp), %edx
	testl %edx, %edx
	jz .Lgather_done
.Lgather_next:
	movl (%ebx), %esi
	movl 28(%esp), %ecx
	shrl $2, %ecx
.Lgather_words:
	rep movsl
	addl $4, %ebx
	decl %edx
	jnz .Lgather_next
.Lgather_done:
	xorl %eax, %eax
.Lgather_out:
	popl %ebx
	popl %edi
	popl %esi
	ret
.Lgather_fault:
	movl $-EFAULT, %eax
	jmp .Lgather_out

/* int ustrncpy(char *dst, const char *src, size_t max): the length of the
 * string copied with its NUL, -E2BIG if max bytes hold no NUL, or -EFAULT. */
	.globl ustrncpy
ustrncpy:
	pushl %esi
	pushl %edi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	movl %esi, %edx
.Lnext:
	testl %ecx, %ecx
	jz .Ltoo_long
.Lload:
	lodsb
	stosb
	decl %ecx
	testb %al, %al
	jnz .Lnext
	movl %esi, %eax
	subl %edx, %eax
	decl %eax		/* not counting the NUL */
	jmp .Lout
.Ltoo_long:
	movl $-E2BIG, %eax
	jmp .Lout

	.section .extable, "a"
	.long .Lcopy_words, .Lfault
	.long .Lcopy_bytes, .Lfault
	.long .Lgather_words, .Lgather_fault
	.long .Lload, .Lfault
