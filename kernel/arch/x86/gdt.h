/* gdt.h: segment descriptors and the TSS (see gdt.c). */
#ifndef ARCH_X86_GDT_H
#define ARCH_X86_GDT_H

#include <stdint.h>

void gdt_init(void);
void tss_set_esp0(uint32_t esp0);
void gdt_init_double_fault(uint32_t cr3);
void gdt_load_ap(void);

#endif
