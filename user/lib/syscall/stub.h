/*
 * stub.h: assembler macros that make one system-call stub each
 * (docs/abi/README.md §2). The kernel preserves every register but %eax;
 * a stub that uses %esi (callee-saved in cdecl) restores it.
 *
 *   SYSCALL0 name, vec    no argument
 *   SYSCALL1 name, vec    one argument, passed in %esi
 *   SYSCALLN name, vec    two or more: cdecl already laid them out in
 *                         memory as the packet, so %esi = its address
 */
#include <syscall_int.h>

.macro STUB_BEGIN name
	.text
	.globl \name
	.type \name, @function
\name:
.endm

.macro STUB_END name
	.size \name, . - \name
.endm

.macro SYSCALL0 name, vec
	STUB_BEGIN \name
	int $\vec
	ret
	STUB_END \name
.endm

.macro SYSCALL1 name, vec
	STUB_BEGIN \name
	pushl %esi
	movl 8(%esp), %esi	/* the argument, above %esi and the return address */
	int $\vec
	popl %esi
	ret
	STUB_END \name
.endm

.macro SYSCALLN name, vec
	STUB_BEGIN \name
	pushl %esi
	leal 8(%esp), %esi	/* the first argument starts the packet */
	int $\vec
	popl %esi
	ret
	STUB_END \name
.endm

/* The stubs need no executable stack (the linker assumes so otherwise). */
	.section .note.GNU-stack, "", @progbits
