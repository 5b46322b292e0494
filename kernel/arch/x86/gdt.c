/*
 * gdt.c: the global descriptor table and the task-state segment.
 *
 * Flat 4 GiB segments for kernel and user at the Pebbles selectors
 * (seg.h). Protection comes from paging, not segmentation; the segments
 * exist because the CPU takes the privilege level from them. The TSS is
 * used only for esp0: the stack the CPU switches to when an interrupt
 * arrives in user mode.
 */
#include <stdint.h>
#include "arch/x86/gdt.h"
#include "arch/x86/seg.h"

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap;
} __attribute__((packed));

static struct tss tss;
static uint64_t gdt[GDT_ENTRIES];

/* Build one descriptor; access = P|DPL|S|type, flags = G|D/B (high nibble). */
static uint64_t desc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	uint64_t d = limit & 0xFFFF;
	d |= (uint64_t)(base & 0xFFFFFF) << 16;
	d |= (uint64_t)access << 40;
	d |= (uint64_t)((limit >> 16) & 0xF) << 48;
	d |= (uint64_t)(flags & 0xF0) << 48;
	d |= (uint64_t)(base >> 24) << 56;
	return d;
}

/* Load the GDT and TSS and reload every segment register. */
void gdt_init(void)
{
	tss.ss0 = SEL_KDATA;
	tss.iomap = sizeof(tss);	/* no I/O bitmap: ring 3 gets no ports */
	gdt[SEL_TSS >> 3] = desc((uint32_t)&tss, sizeof(tss) - 1, 0x89, 0x00);
	gdt[SEL_KCODE >> 3] = desc(0, 0xFFFFF, 0x9A, 0xC0);
	gdt[SEL_KDATA >> 3] = desc(0, 0xFFFFF, 0x92, 0xC0);
	gdt[SEL_UCODE >> 3] = desc(0, 0xFFFFF, 0xFA, 0xC0);
	gdt[SEL_UDATA >> 3] = desc(0, 0xFFFFF, 0xF2, 0xC0);

	struct { uint16_t limit; uint32_t base; } __attribute__((packed))
		gdtr = { sizeof(gdt) - 1, (uint32_t)gdt };
	__asm__ volatile(
		"lgdt %0\n\t"
		"ljmp %1, $1f\n"
		"1:\tmovw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"
		"movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\t"
		"movw %w3, %%ax\n\tltr %%ax"
		: : "m"(gdtr), "i"(SEL_KCODE), "i"(SEL_KDATA), "i"(SEL_TSS)
		: "eax", "memory");
}

/* The stack the CPU loads on the next ring 3 -> ring 0 transition. */
void tss_set_esp0(uint32_t esp0)
{
	tss.esp0 = esp0;
}
