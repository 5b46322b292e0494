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

/* Reads the ACPI tables, logs what they describe, and keeps at most
 * cpus=N of the processors. Precondition: paging is on (mm_init). */
void smp_init(unsigned limit);

/* With more than one CPU kept: calibrates the local APIC timers, which
 * from then on drive each CPU's preemption, and starts the other
 * processors smp_init kept; each enters the scheduler. Precondition:
 * interrupts on (the delays count PIT ticks). */
void smp_start_aps(void);

#endif
