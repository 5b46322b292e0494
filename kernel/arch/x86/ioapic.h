/* ioapic.h: the I/O APIC, which routes device interrupts to CPUs (see ioapic.c). */
#ifndef ARCH_X86_IOAPIC_H
#define ARCH_X86_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

bool ioapic_init(volatile void *regs, uint32_t gsi_base);
bool ioapic_route(uint32_t gsi, unsigned vector, unsigned apic_id, bool level, bool active_low);
void ioapic_mask(uint32_t gsi);

#endif
