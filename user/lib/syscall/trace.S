/* trace_set, trace_read, trace_clear, trace_stat, trace_set_size: system-call stubs for
 * TRACE_INT, which fable.h (a C-only header) defines as
 * SYSCALL_RESERVED_5 (a Fable extension, docs/abi/fable.md §9). One
 * vector serves them all: the packet's first word is the operation, and
 * the caller's arguments (at most two) follow it. */
#include "stub.h"
#include <fable/trace.h>

/* Build {op, arg1, arg2} below the stub's frame; a stub of one argument
 * copies a second word of the caller's stack that the kernel ignores. */
.macro TRACEOP name, op
	STUB_BEGIN \name
	pushl %esi
	pushl 12(%esp)		/* arg2: above %esi and the return address */
	pushl 12(%esp)		/* arg1: one word further down by now */
	pushl $\op
	movl %esp, %esi
	int $SYSCALL_RESERVED_5
	addl $12, %esp
	popl %esi
	ret
	STUB_END \name
.endm

	TRACEOP trace_set, TRACE_OP_SET
	TRACEOP trace_read, TRACE_OP_READ
	TRACEOP trace_clear, TRACE_OP_CLEAR
	TRACEOP trace_stat, TRACE_OP_STAT
	TRACEOP trace_set_size, TRACE_OP_SET_SIZE
