/* pic.h: the two 8259A interrupt controllers (see pic.c). */
#ifndef ARCH_X86_PIC_H
#define ARCH_X86_PIC_H

#include <stdbool.h>

void pic_init(void);
void pic_unmask(int irq);
void pic_disable(void);
void pic_eoi(int irq);
bool pic_spurious(int irq);

#endif
