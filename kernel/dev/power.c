/*
 * power.c: poweroff and halt (see power.h). Every other CPU is stopped
 * first (an NMI each: boot/smp.c), so that none goes on running or
 * printing; then serial output still queued for the transmitter
 * (serial.c) goes out, polled and without the serial line's lock, which
 * a CPU stopped in the middle of a line may hold for ever (a halt at 2
 * CPUs hung so, in a CI run). An orderly end (machine_shutdown) writes
 * the file systems back before that.
 */
#include "dev/power.h"
#include "dev/serial.h"
#include "arch/x86/x86.h"
#include "debug/trace.h"
#include "upcall.h"

#define DEBUG_EXIT_PORT 0xf4

/* Interrupts off: nothing runs again (a flush is polled). */
void machine_halt(void)
{
	cli();
	smp_stop_others(NULL);
	serial_stop();
	serial_flush();
	for (;;)
		hlt();
}

/* Interrupts off and the other CPUs stopped first: the trace dump reads
 * the rings without their locks, which only a machine where nothing else
 * runs may do. */
void machine_poweroff(int status)
{
	cli();
	smp_stop_others(NULL);
	serial_stop();
	trace_dump();
	serial_flush();
	outl(DEBUG_EXIT_PORT, (uint32_t)status);
	machine_halt();
}

/* Called by a thread, interrupts on: the write-back sleeps on the disk. */
void machine_shutdown(int status)
{
	files_shutdown();
	machine_poweroff(status);
}
