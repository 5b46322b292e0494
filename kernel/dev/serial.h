/* serial.h: COM1, the debug log and a second input line (see serial.c). */
#ifndef DEV_SERIAL_H
#define DEV_SERIAL_H

#include <stddef.h>

void serial_init(void);
/* Write len bytes contiguously: no other serial output comes between
 * (but for a write that cannot sleep, see serial.c). '\n' goes out as
 * "\r\n" and '\b' as "\b \b", so that a terminal shows lines and
 * erasures. A thread may sleep here until the line drains; elsewhere
 * (interrupts off, boot, panic) the write is polled. Nothing is lost. */
void serial_write(const char *buf, size_t len);
/* Send everything still queued, polling, and wait until the UART has
 * sent its last byte (before the machine stops). */
void serial_flush(void);
/* The machine is stopping (panic): from now on every write is polled
 * and takes no lock, which the code that panicked may hold. */
void serial_stop(void);
/* Received bytes go to fn (interrupt context), after '\r'->'\n', DEL->'\b'. */
void serial_set_rx(void (*fn)(char c));

#endif
