/*
 * power.c: poweroff and halt (see power.h). Serial output may still be
 * queued for the transmitter (serial.c): it goes out, polled, first.
 */
#include "dev/power.h"
#include "dev/serial.h"
#include "arch/x86/x86.h"
#include "debug/trace.h"

#define DEBUG_EXIT_PORT 0xf4

/* Interrupts off: nothing runs again (a flush is polled). */
void machine_halt(void)
{
	cli();
	serial_flush();
	for (;;)
		hlt();
}

/* Interrupts off first: the trace dump reads the rings without their
 * locks, which only a machine where nothing else runs may do. */
void machine_poweroff(int status)
{
	cli();
	trace_dump();
	serial_flush();
	outl(DEBUG_EXIT_PORT, (uint32_t)status);
	machine_halt();
}
