/*
 * fable/ureg.h: the register image the kernel hands to a swexn handler,
 * and the exception causes it reports (docs/abi/swexn.md §1). Usable from
 * assembly: only the cause macros are visible there. User programs get it
 * through <ureg.h>; the kernel's struct trapframe (arch/x86/trap.h) is
 * checked field by field against ureg_t.
 */
#ifndef FABLE_UREG_H
#define FABLE_UREG_H

#define SWEXN_CAUSE_DIVIDE      0x00
#define SWEXN_CAUSE_DEBUG       0x01
#define SWEXN_CAUSE_BREAKPOINT  0x03
#define SWEXN_CAUSE_OVERFLOW    0x04
#define SWEXN_CAUSE_BOUNDCHECK  0x05
#define SWEXN_CAUSE_OPCODE      0x06	/* invalid instruction */
#define SWEXN_CAUSE_NOFPU       0x07	/* FPU missing */
#define SWEXN_CAUSE_SEGFAULT    0x0B	/* segment not present */
#define SWEXN_CAUSE_STACKFAULT  0x0C
#define SWEXN_CAUSE_PROTFAULT   0x0D	/* general protection */
#define SWEXN_CAUSE_PAGEFAULT   0x0E	/* cr2 is valid */
#define SWEXN_CAUSE_FPUFAULT    0x10	/* x87 error */
#define SWEXN_CAUSE_ALIGNFAULT  0x11
#define SWEXN_CAUSE_SIMDFAULT   0x13	/* SSE error */

#ifndef __ASSEMBLER__

/* 20 words, 80 bytes; edi..eax is the image pusha leaves, eip..ss the
 * ring-3 hardware trap frame. */
typedef struct ureg_t {
	unsigned int cause;	/* SWEXN_CAUSE_* */
	unsigned int cr2;	/* faulting address of a page fault, else 0 */

	unsigned int ds;
	unsigned int es;
	unsigned int fs;
	unsigned int gs;

	unsigned int edi;
	unsigned int esi;
	unsigned int ebp;
	unsigned int zero;	/* pusha's %esp slot: always 0 */
	unsigned int ebx;
	unsigned int edx;
	unsigned int ecx;
	unsigned int eax;

	unsigned int error_code;	/* the hardware's, or 0 */
	unsigned int eip;
	unsigned int cs;
	unsigned int eflags;
	unsigned int esp;	/* user %esp at the fault */
	unsigned int ss;
} ureg_t;

#endif /* __ASSEMBLER__ */

#endif /* FABLE_UREG_H */
