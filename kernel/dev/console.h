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

#define FGND_BLACK 0x0
#define FGND_BLUE  0x1
#define FGND_GREEN 0x2
#define FGND_CYAN  0x3
#define FGND_RED   0x4
#define FGND_MAG   0x5
#define FGND_BRWN  0x6
#define FGND_LGRAY 0x7
#define FGND_DGRAY 0x8
#define FGND_BBLUE 0x9
#define FGND_BGRN  0xA
#define FGND_BCYAN 0xB
#define FGND_PINK  0xC
#define FGND_BMAG  0xD
#define FGND_YLLW  0xE
#define FGND_WHITE 0xF
#define BGND_BLACK 0x00
#define BGND_BLUE  0x10
#define BGND_GREEN 0x20
#define BGND_CYAN  0x30
#define BGND_RED   0x40
#define BGND_MAG   0x50
#define BGND_BRWN  0x60
#define BGND_LGRAY 0x70
#define BLINK      0x80

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
