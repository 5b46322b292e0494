/*
 * smp.h: finding and starting the processors (docs/smp.md); once
 * started, each runs threads like the boot CPU.
 */
#ifndef BOOT_SMP_H
#define BOOT_SMP_H

#include "arch/x86/madt.h"
#include "mm/layout.h"	/* MAX_CPUS */

/* Lock tags (docs/sync.md): [b] boot. */
extern struct madt_info smp_info;	/* [b] ncpus 1 when no table says more */

/* Reads the ACPI tables (unless acpi is false: acpi=off), or else the
 * MP tables, logs what they describe, and keeps at most limit (cpus=N)
 * of the processors. Precondition: paging is on (mm_init). */
void smp_init(unsigned limit, bool acpi);

/* Routes the ISA IRQs through the I/O APIC smp_init found, unless use
 * is false (the command line's noioapic) or there is none: then the
 * 8259s keep them. Precondition: smp_init; interrupts off. */
void smp_irq_init(bool use);

/* With more than one CPU kept: calibrates the local APIC timers, which
 * from then on drive each CPU's preemption, and starts the other
 * processors smp_init kept; each enters the scheduler. Precondition:
 * interrupts on (the delays count PIT ticks). */
void smp_start_aps(void);

#endif
