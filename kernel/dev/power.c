/*
 * power.c: poweroff and halt (see power.h). Output is never buffered in
 * Fable (serial and VGA writes are synchronous), so there is nothing to
 * flush before the port write.
 */
#include "dev/power.h"
#include "arch/x86/x86.h"

#define DEBUG_EXIT_PORT 0xf4

void machine_halt(void)
{
	cli();
	for (;;)
		hlt();
}

void machine_poweroff(int status)
{
	cli();
	outl(DEBUG_EXIT_PORT, (uint32_t)status);
	machine_halt();
}
