/*
 * textbuf.h: the arithmetic of an 80x25 text screen - cursor movement,
 * wrapping, scrolling - on an array of (attribute << 8 | glyph) cells.
 * Pure code: console.c points it at VGA memory (and serialises calls with
 * its lock), unit tests at an array.
 */
#ifndef DEV_TEXTBUF_H
#define DEV_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TEXT_ROWS 25
#define TEXT_COLS 80

struct textbuf {
	volatile uint16_t *cells;	/* TEXT_ROWS * TEXT_COLS */
	int row, col;			/* the logical cursor */
	uint8_t color;			/* attribute for new glyphs */
};

/* Draw c with docs/abi/console.md §1.2 semantics: \n, \r, \b, glyphs. */
void textbuf_putc(struct textbuf *t, char c);
/* The same as textbuf_putc on each byte of s[0..len), faster. */
void textbuf_write(struct textbuf *t, const char *s, size_t len);
void textbuf_clear(struct textbuf *t);
/* Move the cursor; false (and nothing changes) if out of the screen. */
bool textbuf_set_cursor(struct textbuf *t, int row, int col);

#endif
