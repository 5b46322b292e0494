/*
 * seg.h: segment selectors (docs/abi/memory.md §1.4) and descriptor bits.
 * Usable from C and assembly.
 */
#ifndef ARCH_X86_SEG_H
#define ARCH_X86_SEG_H

#define SEL_TSS   0x08
#define SEL_KCODE 0x10
#define SEL_KDATA 0x18
#define SEL_UCODE 0x23	/* GDT index 4, RPL 3 */
#define SEL_UDATA 0x2B	/* GDT index 5, RPL 3 */
#define SEL_DFTSS 0x30	/* the double-fault task (gdt.c) */
/* Each CPU has a TSS of its own (its esp0): the boot CPU's at SEL_TSS,
 * CPU n >= 1's at GDT index 6 + n. The task register thus names the CPU
 * (cpu_index() in gdt.h, docs/smp.md). */
#define GDT_CPUS  8
#define SEL_CPU_TSS(n) ((n) == 0 ? SEL_TSS : (6 + (n)) << 3)

#define GDT_ENTRIES (7 + GDT_CPUS - 1)

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The selectors in %ds and %es, for debug checks (vectors.S keeps
 * SEL_UDATA in both while the kernel runs). */
static inline uint16_t read_ds(void)
{
	uint16_t sel;
	__asm__ volatile("movw %%ds, %0" : "=r"(sel));
	return sel;
}

static inline uint16_t read_es(void)
{
	uint16_t sel;
	__asm__ volatile("movw %%es, %0" : "=r"(sel));
	return sel;
}
#endif

#endif
