/* pit.h: the timer tick (see pit.c). */
#ifndef ARCH_X86_PIT_H
#define ARCH_X86_PIT_H

#include <stdint.h>

#define TICK_HZ 100

struct trapframe;
void pit_init(void);
uint32_t pit_ticks(void);

#endif
