/* lapic.h: the local APIC, each CPU's own interrupt controller (see lapic.c). */
#ifndef ARCH_X86_LAPIC_H
#define ARCH_X86_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

bool lapic_present(void);
bool lapic_init(volatile void *regs);
unsigned lapic_id(void);
bool lapic_ipi(unsigned apic_id, uint32_t cmd);
bool lapic_send_fixed(unsigned apic_id, unsigned vector);
bool lapic_send_nmi(unsigned apic_id);
bool lapic_send_fixed_others(unsigned vector);
bool lapic_send_nmi_others(void);
void lapic_enable(unsigned spurious_vector);
void lapic_mask_pic(void);
void lapic_eoi(void);

/* The local APIC's own vectors (docs/abi/fable.md §1.2: 0xE0-0xFF). A
 * fixed IPI's command word is its vector. */
#define T_LAPIC_TIMER	0xE0	/* this CPU's tick (sched_cpu_tick); T_LOCAL */
#define T_RESCHED	0xE1	/* IPI: a thread may want this CPU */
#define T_TLB		0xE2	/* IPI: flush this CPU's TLB (mm/vm.c) */
/* and T_LAPIC_SPURIOUS (trap.h): the APIC's spurious vector, no EOI */

/* Timer counts (divided by 16) in one PIT tick, measured on this CPU
 * over two ticks. Precondition: interrupts on (the PIT ticks). */
uint32_t lapic_timer_calibrate(void);
/* Interrupt at vector every count timer counts (periodic). */
void lapic_timer_start(unsigned vector, uint32_t count);

/* Interrupt command words (Intel SDM vol. 3A, 10.6.1). */
#define ICR_INIT	0x00004500u	/* INIT, level assert */
#define ICR_STARTUP	0x00004600u	/* start-up; | the vector (page number) */

#endif
