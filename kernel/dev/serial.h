/* serial.h: COM1, the debug log and a second input line (see serial.c). */
#ifndef DEV_SERIAL_H
#define DEV_SERIAL_H

#include <stddef.h>

void serial_init(void);
/* Write len bytes contiguously: no other serial output comes between.
 * '\n' goes out as "\r\n" and '\b' as "\b \b", so that a terminal
 * shows lines and erasures. */
void serial_write(const char *buf, size_t len);
/* Received bytes go to fn (interrupt context), after '\r'->'\n', DEL->'\b'. */
void serial_set_rx(void (*fn)(char c));

#endif
