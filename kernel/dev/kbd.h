/* kbd.h: the PS/2 keyboard (i8042, IRQ1); keys go to the input stream. */
#ifndef DEV_KBD_H
#define DEV_KBD_H

/* Set up the controller and take IRQ1. Call before interrupts are on. */
void kbd_init(void);

#endif
