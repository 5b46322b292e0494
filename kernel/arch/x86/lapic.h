/* lapic.h: the local APIC, each CPU's own interrupt controller (see lapic.c). */
#ifndef ARCH_X86_LAPIC_H
#define ARCH_X86_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

bool lapic_init(uint32_t phys);
unsigned lapic_id(void);

#endif
