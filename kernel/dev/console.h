/*
 * console.h: the VGA text console shared by everything that prints.
 * Every call is atomic: the bytes of one console_write appear together on
 * the screen and on the serial mirror.
 */
#ifndef DEV_CONSOLE_H
#define DEV_CONSOLE_H

#include <stddef.h>
#include <stdbool.h>
#include "upcall.h"	/* console_write, console_panic: cprintf and panic (lib/) */

#include <fable/colors.h>	/* FGND_*, BGND_* (docs/abi/console.md §6) */
#define BLINK      0x80	/* not in the user interface */

void console_init(void);
void console_putc(char c);
/* Valid colours are exactly 0x00-0xFF. */
bool console_set_color(int color);
int console_get_color(void);
bool console_set_cursor(int row, int col);
void console_get_cursor(int *row, int *col);
void console_clear(void);
void console_show_cursor(bool show);

#endif
