/* serial.h: COM1, the debug log and a second input line (see serial.c). */
#ifndef DEV_SERIAL_H
#define DEV_SERIAL_H

#include <stddef.h>
#include "upcall.h"	/* serial_write: kprintf and panic (lib/) write from below */

void serial_init(void);
/* Send everything still queued, polling, and wait until the UART has
 * sent its last byte (before the machine stops). */
void serial_flush(void);
/* The machine is stopping (panic, halt, poweroff): from now on every write is polled
 * and takes no lock, which the code that panicked may hold. */
void serial_stop(void);
/* Received bytes go to fn (interrupt context), after '\r'->'\n', DEL->'\b'. */
void serial_set_rx(void (*fn)(char c));

#endif
