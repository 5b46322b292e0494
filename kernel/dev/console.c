/*
 * console.c: the VGA text console at 0xB8000 (80x25, attribute bytes),
 * with the hardware cursor kept at the logical one. The arithmetic is in
 * textbuf.c; this file adds the hardware, the lock and the serial mirror.
 */
#include <stdint.h>
#include "dev/console.h"
#include "dev/serial.h"
#include "dev/textbuf.h"
#include "arch/x86/x86.h"
#include "sync/spinlock.h"

#define VGA_TEXT 0xB8000
#define CRTC_INDEX 0x3D4
#define CRTC_DATA  0x3D5
#define CRTC_CURSOR_START 0x0A
#define CRTC_CURSOR_HI 0x0E
#define CRTC_CURSOR_LO 0x0F

/* Taken with interrupts off: keyboard echo writes from its IRQ. */
static struct spinlock lock = SPINLOCK_INIT("console");
static struct textbuf screen = {	/* [lock] */
	.cells = (volatile uint16_t *)VGA_TEXT,
	.color = FGND_LGRAY | BGND_BLACK,
};
static bool cursor_shown = true;	/* [lock] */

static void crtc(uint8_t reg, uint8_t val)
{
	outb(CRTC_INDEX, reg);
	outb(CRTC_DATA, val);
}

/* Caller holds lock. */
static void sync_cursor(void)
{
	/* A hidden cursor parks just past the screen, where it is not drawn. */
	int pos = cursor_shown ? screen.row * TEXT_COLS + screen.col : TEXT_ROWS * TEXT_COLS;
	crtc(CRTC_CURSOR_HI, pos >> 8);
	crtc(CRTC_CURSOR_LO, pos & 0xFF);
}

void console_init(void)
{
	crtc(CRTC_CURSOR_START, 0x0E);	/* underline cursor, lines 14-15 */
	console_clear();
}

void console_write(const char *buf, size_t len)
{
	uint32_t f = spin_lock(&lock);
	textbuf_write(&screen, buf, len);
	serial_write(buf, len);
	sync_cursor();
	spin_unlock(&lock, f);
}

void console_putc(char c)
{
	console_write(&c, 1);
}

bool console_set_color(int color)
{
	if (color < 0 || color > 0xFF)
		return false;
	uint32_t f = spin_lock(&lock);
	screen.color = color;
	spin_unlock(&lock, f);
	return true;
}

int console_get_color(void)
{
	return screen.color;
}

bool console_set_cursor(int row, int col)
{
	uint32_t f = spin_lock(&lock);
	bool ok = textbuf_set_cursor(&screen, row, col);
	sync_cursor();
	spin_unlock(&lock, f);
	return ok;
}

void console_get_cursor(int *row, int *col)
{
	uint32_t f = spin_lock(&lock);
	*row = screen.row;
	*col = screen.col;
	spin_unlock(&lock, f);
}

void console_clear(void)
{
	uint32_t f = spin_lock(&lock);
	textbuf_clear(&screen);
	sync_cursor();
	spin_unlock(&lock, f);
}

void console_show_cursor(bool show)
{
	uint32_t f = spin_lock(&lock);
	cursor_shown = show;
	sync_cursor();
	spin_unlock(&lock, f);
}
