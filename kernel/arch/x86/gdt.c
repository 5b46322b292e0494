/*
 * gdt.c: the global descriptor table and the task-state segment.
 *
 * Flat 4 GiB segments for kernel and user at the Pebbles selectors
 * (seg.h). Protection comes from paging, not segmentation; the segments
 * exist because the CPU takes the privilege level from them. The TSS is
 * used only for esp0: the stack the CPU switches to when an interrupt
 * arrives in user mode. There is no LDT: gdt_init() loads the null
 * selector into LDTR, because its reset value describes a table at
 * linear 0 with limit 0xFFFF - kernel bytes that user code could load
 * as segment descriptors (docs/lie-ring0.md).
 *
 * A second TSS serves the double fault. A kernel stack that overflows
 * into its guard page faults, and the CPU cannot push the page fault's
 * frame on that same stack: a double fault, and without help a triple
 * fault and a silent reset. Through a task gate the CPU instead switches
 * to the double-fault task, with its own stack, after saving the broken
 * state in the main TSS - where df_task() finds it for the report.
 */
#include <stddef.h>
#include <stdint.h>
#include "arch/x86/gdt.h"
#include "arch/x86/seg.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "lib/panic.h"

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap;
} __attribute__((packed));

/* The CPU reads the I/O bitmap's offset at byte 0x66 of the TSS. */
_Static_assert(offsetof(struct tss, iomap) == 0x66, "struct tss is the hardware's");

/* Lock tags (docs/sync.md): [b] boot, [i] interrupts off. */
static struct tss tss[GDT_CPUS] __attribute__((aligned(64)));	/* [b]; esp0 [i],
								 * set at every switch */
static struct tss df_tss;		/* [b] */
static uint64_t gdt[GDT_ENTRIES];	/* [b]; and the double-fault task, which
					 * never returns (df_own_tss) */
struct gdt_cpu gdt_cpu_of_tss[GDT_ENTRIES];	/* [b] */
uint32_t *tss_esp0[GDT_CPUS];		/* [b] */
static uint8_t df_stack[4096] __attribute__((aligned(16)));

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

/* Load gdt and the segments every CPU's kernel runs with: the kernel's
 * code and stack, and the user data selector in %ds and %es (vectors.S
 * expects it there, docs/interrupts.md). */
static void load_gdt(void)
{
	struct { uint16_t limit; uint32_t base; } __attribute__((packed))
		gdtr = { sizeof(gdt) - 1, (uint32_t)gdt };
	__asm__ volatile(
		"lgdt %0\n\t"
		"ljmp %1, $1f\n"
		"1:\tmovw %w2, %%ax\n\tmovw %%ax, %%ss\n\t"
		"movw %w3, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es"
		: : "m"(gdtr), "i"(SEL_KCODE), "i"(SEL_KDATA), "i"(SEL_UDATA)
		: "eax", "memory");
}

/* Load the GDT, the TSS and a null LDT, and reload every segment
 * register: %cs and %ss the kernel's, and the data segments the user
 * data selector, which the kernel keeps in %ds and %es from now on
 * (vectors.S, docs/interrupts.md). */
void gdt_init(void)
{
	for (unsigned n = 0; n < GDT_CPUS; n++) {
		tss[n].ss0 = SEL_KDATA;
		/* The I/O bitmap would start past the TSS's limit: every
		 * port is denied to ring 3 (IOPL 0) and to vm86 code, whose
		 * in/out always consult the bitmap, whatever IOPL its iret
		 * chose. */
		tss[n].iomap = sizeof(tss[n]);
		gdt[SEL_CPU_TSS(n) >> 3] = desc((uint32_t)&tss[n], sizeof(tss[n]) - 1, 0x89, 0x00);
		gdt_cpu_of_tss[SEL_CPU_TSS(n) >> 3].index = n;
		/* Aligned: 104-byte TSSes from an aligned base, esp0 at 4. */
		tss_esp0[n] = (uint32_t *)((char *)&tss[n] + offsetof(struct tss, esp0));
	}
	gdt[SEL_KCODE >> 3] = desc(0, 0xFFFFF, 0x9A, 0xC0);
	gdt[SEL_KDATA >> 3] = desc(0, 0xFFFFF, 0x92, 0xC0);
	gdt[SEL_UCODE >> 3] = desc(0, 0xFFFFF, 0xFA, 0xC0);
	gdt[SEL_UDATA >> 3] = desc(0, 0xFFFFF, 0xF2, 0xC0);
	gdt[SEL_DFTSS >> 3] = desc((uint32_t)&df_tss, sizeof(df_tss) - 1, 0x89, 0x00);

	load_gdt();
	__asm__ volatile(
		"movw %w0, %%ax\n\tmovw %%ax, %%fs\n\tmovw %%ax, %%gs\n\t"
		"movw %w1, %%ax\n\tltr %%ax\n\t"
		"xorl %%eax, %%eax\n\tlldt %%ax"
		: : "i"(SEL_UDATA), "i"(SEL_TSS)
		: "eax", "memory");
}

/* An application processor (docs/smp.md): the kernel's GDT and its code
 * and data segments, as on the boot CPU, and its own TSS. %fs and %gs
 * keep the trampoline's flat data selector until the first return to
 * user mode loads the thread's. */
void gdt_load_ap(unsigned n)
{
	assert(n > 0 && n < GDT_CPUS);
	load_gdt();
	__asm__ volatile("ltr %w0\n\txorl %%eax, %%eax\n\tlldt %%ax"
			 : : "r"(SEL_CPU_TSS(n)) : "eax", "memory");
}



/*
 * Load the task register with this CPU's own TSS again, from the
 * double-fault task: cpu_index() reads the task register, which names
 * the double-fault TSS there, no CPU's, so it said 0 on every CPU; a
 * double fault on another CPU then stopped itself as "the others" and
 * left the boot CPU running (panic_double_fault_ap). The task switch
 * left that TSS busy, and ltr takes only an available one: its type
 * goes back to available first. The broken state is never resumed.
 */
static void df_own_tss(uint16_t sel)
{
	gdt[sel >> 3] &= ~(2ULL << 40);		/* type 0xB, busy -> 0x9 */
	__asm__ volatile("ltr %w0" : : "r"(sel) : "memory");
}

/* The double-fault task's body: report the state the fault interrupted
 * (saved by the CPU in the TSS the task switch left, which the link
 * field names) and stop. */
static void df_task(void)
{
	uint16_t sel = (uint16_t)df_tss.link;
	const struct tss *t = &tss[gdt_cpu_of_tss[sel >> 3].index];
	df_own_tss(sel);
	struct trapframe tf = {
		.cause = T_DBLFLT, .cr2 = read_cr2(),
		.ds = t->ds, .es = t->es, .fs = t->fs, .gs = t->gs,
		.edi = t->edi, .esi = t->esi, .ebp = t->ebp, .ebx = t->ebx,
		.edx = t->edx, .ecx = t->ecx, .eax = t->eax,
		.eip = t->eip, .cs = t->cs, .eflags = t->eflags,
		.esp = t->esp, .ss = t->ss,
	};
	panic_trap(&tf);
}

/* Ready the double-fault task; cr3 must map the kernel (any address
 * space does). Called once paging is on. */
void gdt_init_double_fault(uint32_t cr3)
{
	df_tss.eip = (uint32_t)df_task;
	df_tss.esp = (uint32_t)(df_stack + sizeof df_stack);
	df_tss.cs = SEL_KCODE;
	df_tss.ss = df_tss.ds = df_tss.es = df_tss.fs = df_tss.gs = SEL_KDATA;
	df_tss.eflags = EFLAGS_RSV1;	/* interrupts off */
	df_tss.cr3 = cr3;
	df_tss.iomap = sizeof(df_tss);
}
