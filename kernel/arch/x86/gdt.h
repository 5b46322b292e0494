/* gdt.h: segment descriptors and the TSS (see gdt.c). */
#ifndef ARCH_X86_GDT_H
#define ARCH_X86_GDT_H

#include <stdint.h>
#include "arch/x86/seg.h"

void gdt_init(void);
/* Each CPU's TSS's esp0 field. Lock tags (docs/sync.md): [b] boot. */
extern uint32_t *tss_esp0[GDT_CPUS];	/* [b]; the fields [i] */

/* The stack CPU cpu (this one) loads on its next entry from ring 3.
 * Interrupts off. Inline: every switch sets it. */
static inline void tss_set_esp0(unsigned cpu, uint32_t esp0)
{
	*tss_esp0[cpu] = esp0;
}
void gdt_init_double_fault(uint32_t cr3);
/* An application processor n (1 .. GDT_CPUS-1): the kernel's GDT and
 * segments, and its own TSS in the task register. */
void gdt_load_ap(unsigned n);

/* The CPU whose TSS is at each GDT slot, indexed by selector: an entry
 * is 8 bytes, like a descriptor, so the task register's selector is the
 * offset of its CPU's entry. */
struct gdt_cpu {
	uint32_t index;
	uint32_t unused;
};
extern struct gdt_cpu gdt_cpu_of_tss[GDT_ENTRIES];	/* [b] */

/*
 * The index of the CPU that runs this (0 the boot CPU), from its task
 * register: each CPU's TSS has its own GDT slot (seg.h). O(1), and no
 * segment register is involved. The answer is only good while the
 * caller cannot move to another CPU: interrupts off, or a spinlock held.
 * Before gdt_init or an AP's gdt_load_ap it says 0.
 *
 * The asm is not volatile but reads the table as memory: the compiler
 * may reuse one answer until the next call or memory clobber, and cli,
 * sti and every lock operation are such clobbers, so a reused answer
 * never outlives the interrupts-off stretch it was read in.
 */
static inline unsigned cpu_index(void)
{
	uint32_t sel;	/* str to a 32-bit register clears its top half */
	__asm__("str %0" : "=r"(sel) : "m"(gdt_cpu_of_tss));
	return *(const uint32_t *)((const char *)gdt_cpu_of_tss + sel);
}

#endif
