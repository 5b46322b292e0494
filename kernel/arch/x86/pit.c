/*
 * pit.c: the 8253/8254 timer, channel 0, at 100 Hz (the Pebbles tick).
 * Every tick bumps the counter, lets the serial line's interrupt send
 * again if it spent its share (serial_tick), and calls the scheduler's
 * sched_tick (upcalls: upcall.h).
 */
#include <stdint.h>
#include "arch/x86/pit.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "upcall.h"

#define PIT_HZ   1193182	/* input clock */
#define PIT_CH0  0x40
#define PIT_MODE 0x43

/* Lock tags (docs/sync.md): [a] atomic. */
static volatile uint32_t ticks;	/* [a] written only by the tick */

static void tick(struct trapframe *tf)
{
	ticks++;
	serial_tick();
	sched_tick(tf);
}

void pit_init(void)
{
	uint32_t div = (PIT_HZ + TICK_HZ / 2) / TICK_HZ;
	outb(PIT_MODE, 0x34);		/* channel 0, lo/hi byte, mode 2 (rate) */
	outb(PIT_CH0, div & 0xFF);
	outb(PIT_CH0, div >> 8);
	irq_set(0, tick);
}

uint32_t pit_ticks(void)
{
	return ticks;
}
