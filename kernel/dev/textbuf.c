/*
 * textbuf.c: cursor and scroll arithmetic of the text console
 * (see textbuf.h). The rule of pebbles-abi.md 5.1: a glyph is drawn at the
 * cursor, which then advances, wrapping after column 79 and scrolling
 * after row 24.
 */
#include "dev/textbuf.h"

static uint16_t blank(const struct textbuf *t)
{
	return (uint16_t)t->color << 8 | ' ';
}

/* Shift every row up by one and blank the last. */
static void scroll(struct textbuf *t)
{
	for (int i = 0; i < (TEXT_ROWS - 1) * TEXT_COLS; i++)
		t->cells[i] = t->cells[i + TEXT_COLS];
	for (int i = (TEXT_ROWS - 1) * TEXT_COLS; i < TEXT_ROWS * TEXT_COLS; i++)
		t->cells[i] = blank(t);
}

static void newline(struct textbuf *t)
{
	t->col = 0;
	if (++t->row == TEXT_ROWS) {
		scroll(t);
		t->row = TEXT_ROWS - 1;
	}
}

void textbuf_putc(struct textbuf *t, char c)
{
	switch (c) {
	case '\n':
		newline(t);
		break;
	case '\r':
		t->col = 0;
		break;
	case '\b':
		if (t->col > 0)
			t->cells[t->row * TEXT_COLS + --t->col] = blank(t);
		break;
	default:
		t->cells[t->row * TEXT_COLS + t->col] = (uint16_t)t->color << 8 | (uint8_t)c;
		if (++t->col == TEXT_COLS)
			newline(t);
	}
}

void textbuf_clear(struct textbuf *t)
{
	for (int i = 0; i < TEXT_ROWS * TEXT_COLS; i++)
		t->cells[i] = blank(t);
	t->row = t->col = 0;
}

bool textbuf_set_cursor(struct textbuf *t, int row, int col)
{
	if (row < 0 || row >= TEXT_ROWS || col < 0 || col >= TEXT_COLS)
		return false;
	t->row = row;
	t->col = col;
	return true;
}
