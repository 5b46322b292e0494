/*
 * idt.c: the interrupt descriptor table.
 *
 * All 256 gates point at the stubs of vectors.S. Only vectors that are
 * meant to be reached from ring 3 with `int` have DPL 3 (system calls,
 * int3, into); the others have DPL 0, so `int $N` on them from user mode
 * is a general-protection fault (docs/abi/README.md §7.3, §7.4). Gates are
 * "interrupt gates" (interrupts off on entry) except system calls, which
 * use trap gates: the kernel is preemptible and a system call needs no
 * protection from the timer at entry.
 */
#include <stdint.h>
#include "arch/x86/seg.h"
#include "arch/x86/trap.h"

#define GATE_INTR 0x8E	/* present, DPL 0, 32-bit interrupt gate */
#define GATE_TRAP 0x8F	/* present, DPL 0, 32-bit trap gate */
#define GATE_DPL3 0x60
#define GATE_TASK 0x85	/* present, DPL 0, task gate */

extern char trap_stubs[];
/* Lock tags (docs/sync.md): [b] boot. */
static uint64_t idt[256];	/* [b] */

static void gate(int vec, uint8_t type)
{
	uint32_t off = (uint32_t)trap_stubs + 16 * vec;
	idt[vec] = (off & 0xFFFF) | ((uint64_t)SEL_KCODE << 16) |
		   ((uint64_t)type << 40) | ((uint64_t)(off >> 16) << 48);
}

/* Fill every gate as a DPL-0 interrupt gate and load the IDT. */
void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		gate(v, GATE_INTR);
	gate(T_BRKPT, GATE_INTR | GATE_DPL3);
	gate(T_OFLOW, GATE_INTR | GATE_DPL3);
	/* The double fault switches tasks (gdt.c): its own stack, always. */
	idt[T_DBLFLT] = ((uint64_t)SEL_DFTSS << 16) | ((uint64_t)GATE_TASK << 40);
	idt_load();
}

/* Load the one IDT into this CPU's IDTR: the boot CPU's (idt_init), and
 * each other one's as it starts, before it could take an NMI. */
void idt_load(void)
{
	struct { uint16_t limit; uint32_t base; } __attribute__((packed))
		idtr = { sizeof(idt) - 1, (uint32_t)idt };
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/* Make vec reachable from ring 3 (a system call): DPL 3 trap gate. */
void idt_set_user(int vec)
{
	gate(vec, GATE_TRAP | GATE_DPL3);
}
