/*
 * kbd.c: the PS/2 keyboard behind the i8042 controller.
 *
 * The controller translates the keyboard's scancodes to set 1 (we make
 * sure translation is on) and raises IRQ1 per byte; keymap.c turns bytes
 * into characters, which go to the input stream.
 */
#include <stdbool.h>
#include <stdint.h>
#include "dev/kbd.h"
#include "dev/keymap.h"
#include "dev/input.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "lib/kprintf.h"

#define KBD_DATA   0x60
#define KBD_STATUS 0x64		/* read */
#define KBD_CMD    0x64		/* write */

#define ST_OUT_FULL 0x01	/* a byte waits at KBD_DATA */
#define ST_IN_FULL  0x02	/* the controller has not taken our last byte */
#define ST_AUX      0x20	/* the waiting byte is from the mouse port */

#define CMD_READ_CONFIG  0x20
#define CMD_WRITE_CONFIG 0x60
#define CMD_DISABLE_KBD  0xAD
#define CMD_ENABLE_KBD   0xAE

#define CFG_KBD_IRQ   0x01	/* IRQ1 on keyboard data */
#define CFG_KBD_CLOCK 0x10	/* set: keyboard port disabled */
#define CFG_TRANSLATE 0x40	/* set 2 -> set 1 translation */

#define SPINS 100000		/* a real controller answers within a few ms */
#define FLUSH_MAX 64		/* its output buffer is 16 bytes at most */

/* Lock tags (docs/sync.md): [i] interrupts off. */
static struct kbd_state state;	/* [i] only the IRQ1 handler uses it */

static void kbd_irq(struct trapframe *tf)
{
	(void)tf;
	uint8_t st;
	while ((st = inb(KBD_STATUS)) & ST_OUT_FULL) {
		uint8_t byte = inb(KBD_DATA);
		if (st & ST_AUX)
			continue;	/* a mouse byte; nobody listens to it */
		int c = kbd_decode(&state, byte);
		if (c >= 0)
			input_put(c);
	}
}

/* Wait until the controller status has bit set (or clear); false on timeout. */
static bool wait_status(uint8_t bit, bool set)
{
	for (int i = 0; i < SPINS; i++)
		if (!!(inb(KBD_STATUS) & bit) == set)
			return true;
	return false;
}

/* Send a controller command once it can take one; false on timeout. */
static bool command(uint8_t cmd)
{
	if (!wait_status(ST_IN_FULL, false))
		return false;
	outb(KBD_CMD, cmd);
	return true;
}

/* Drop bytes typed (or left by the firmware) before we were ready. */
static void flush(void)
{
	for (int i = 0; i < FLUSH_MAX && (inb(KBD_STATUS) & ST_OUT_FULL); i++)
		inb(KBD_DATA);
}

/* Turn on IRQ1, translation and the keyboard clock in the config byte. */
static bool configure(void)
{
	if (!command(CMD_READ_CONFIG) || !wait_status(ST_OUT_FULL, true))
		return false;
	uint8_t cfg = inb(KBD_DATA);
	cfg = (cfg | CFG_KBD_IRQ | CFG_TRANSLATE) & ~CFG_KBD_CLOCK;
	if (!command(CMD_WRITE_CONFIG) || !wait_status(ST_IN_FULL, false))
		return false;
	outb(KBD_DATA, cfg);
	return true;
}

void kbd_init(void)
{
	if (inb(KBD_STATUS) == 0xFF) {	/* floating bus: no controller */
		klog(LOG_WARN, "kbd: no i8042 controller");
		return;
	}
	/* Keep keys out of the data port while we talk to the controller. */
	bool ok = command(CMD_DISABLE_KBD);
	flush();
	if (!ok || !configure() || !command(CMD_ENABLE_KBD)) {
		klog(LOG_WARN, "kbd: i8042 does not answer; no keyboard");
		return;
	}
	flush();
	irq_set(1, kbd_irq);
	klog(LOG_INFO, "kbd: PS/2 keyboard on IRQ1");
}
