/*
 * console.h: the VGA text console shared by everything that prints.
 * Every call is atomic: the bytes of one console_write appear together on
 * the screen and on the serial mirror.
 */
#ifndef DEV_CONSOLE_H
#define DEV_CONSOLE_H

#include <stddef.h>
#include <stdbool.h>

#include <fable/colors.h>	/* FGND_*, BGND_* (docs/abi/console.md §6) */
#define BLINK      0x80	/* not in the user interface */

void console_init(void);
/* May sleep (for the lock, and while the serial mirror drains): called
 * by threads, or at boot before any thread runs. */
void console_write(const char *buf, size_t len);
/* For panic alone: from now on every console_write draws and sends at
 * once in color, polled and without the locks (whoever holds them will
 * never run again). */
void console_panic(int color);
void console_putc(char c);
/* Valid colours are exactly 0x00-0xFF. */
bool console_set_color(int color);
int console_get_color(void);
bool console_set_cursor(int row, int col);
void console_get_cursor(int *row, int *col);
void console_clear(void);
void console_show_cursor(bool show);

#endif
