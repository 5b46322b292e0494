/*
 * fiber_int.h: what fiber.c and switch.S share (docs/lie-fibers.md).
 */
#ifndef USER_LIB_FIBER_INT_H
#define USER_LIB_FIBER_INT_H

/* Registers fiber_swtch keeps on a switched-out fiber's stack, below its
 * return address: %ebp, %ebx, %esi, %edi, the callee-saved ones. */
#define SWTCH_SAVED 4

#ifndef __ASSEMBLER__
struct worker;

/*
 * Save the callee-saved registers on the current stack and the stack
 * pointer in *save; load new_sp and restore what it saved. Returns, on
 * the new stack, the worker that whoever switched to us passed as w.
 */
struct worker *fiber_swtch(void **save, void *new_sp, struct worker *w);

/* Where a new fiber's first switch "returns" to: calls fiber_main(w). */
void fiber_start(void);
void fiber_main(struct worker *w) __attribute__((__noreturn__));
#endif

#endif /* USER_LIB_FIBER_INT_H */
