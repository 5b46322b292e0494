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
void lapic_eoi(void);

/* Interrupt command words (Intel SDM vol. 3A, 10.6.1). */
#define ICR_INIT	0x00004500u	/* INIT, level assert */
#define ICR_STARTUP	0x00004600u	/* start-up; | the vector (page number) */

#endif
