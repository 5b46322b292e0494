/*
 * console.c: the VGA text console at 0xB8000 (80x25, attribute bytes),
 * with the hardware cursor kept at the logical one. The arithmetic is in
 * textbuf.c; this file adds the hardware, the lock and the serial mirror.
 *
 * The lock is a mutex: a print holds it while it draws and while the
 * serial mirror waits for the line, with interrupts on all along (no
 * interrupt handler writes to the console: the keyboard's echo is done
 * by the reading thread, input.c). A panic draws without it.
 */
#include <stdint.h>
#include "dev/console.h"
#include "dev/serial.h"
#include "dev/textbuf.h"
#include "arch/x86/x86.h"
#include "proc/nopreempt.h"
#include "sync/mutex.h"
#include "proc/nopreempt.h"
#include "debug/debug.h"

#define VGA_TEXT 0xB8000
#define CRTC_INDEX 0x3D4
#define CRTC_DATA  0x3D5
#define CRTC_CURSOR_START 0x0A
#define CRTC_CURSOR_HI 0x0E
#define CRTC_CURSOR_LO 0x0F

/* Lock tags (docs/sync.md): [a] atomic, [m] lock, the console's mutex
 * (not taken once panicking is set: nothing else runs then). */
static struct mutex lock = MUTEX_INIT(lock, "console");	/* held unpreempted */
static bool panicking;		/* [a] draw at once, without the lock */
static struct textbuf screen = {	/* [m] */
	.cells = (volatile uint16_t *)VGA_TEXT,
	.color = FGND_LGRAY | BGND_BLACK,
};
static bool cursor_shown = true;	/* [m] */

/* The timer does not cut a holder off (proc/nopreempt.h): printers
 * would queue behind it a print at a time. */
static void console_lock(void)
{
	mutex_lock(&lock);
	nopreempt_begin();
}

static void console_unlock(void)
{
	mutex_unlock(&lock);
	nopreempt_end();
}

static void crtc(uint8_t reg, uint8_t val)
{
	outb(CRTC_INDEX, reg);
	outb(CRTC_DATA, val);
}

/* Caller holds lock. */
static void sync_cursor(void)
{
	if (!panicking)
		ASSERT_HELD(&lock);
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

/* Caller holds lock (or the machine is stopping). */
static void draw(const char *buf, size_t len)
{
	if (!panicking)
		ASSERT_HELD(&lock);
	textbuf_write(&screen, buf, len);
	sync_cursor();
}

/* The screen first, then the mirror: both under the lock, so one call's
 * bytes are together on both and in the same order. */
void console_write(const char *buf, size_t len)
{
	if (panicking) {
		draw(buf, len);
		serial_write(buf, len);
		return;
	}
	console_lock();
	draw(buf, len);
	serial_write(buf, len);
	console_unlock();
}

void console_panic(void)
{
	panicking = true;
	serial_stop();
	screen.color = FGND_WHITE | BGND_RED;
}

void console_putc(char c)
{
	console_write(&c, 1);
}

bool console_set_color(int color)
{
	if (color < 0 || color > 0xFF)
		return false;
	console_lock();
	screen.color = color;
	console_unlock();
	return true;
}

int console_get_color(void)
{
	console_lock();
	int color = screen.color;
	console_unlock();
	return color;
}

bool console_set_cursor(int row, int col)
{
	console_lock();
	bool ok = textbuf_set_cursor(&screen, row, col);
	sync_cursor();
	console_unlock();
	return ok;
}

void console_get_cursor(int *row, int *col)
{
	console_lock();
	*row = screen.row;
	*col = screen.col;
	console_unlock();
}

void console_clear(void)
{
	console_lock();
	textbuf_clear(&screen);
	sync_cursor();
	console_unlock();
}

void console_show_cursor(bool show)
{
	console_lock();
	cursor_shown = show;
	sync_cursor();
	console_unlock();
}
