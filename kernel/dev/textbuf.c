/*
 * textbuf.c: cursor and scroll arithmetic of the text console
 * (see textbuf.h). The rule of docs/abi/console.md §1.2: a glyph is drawn at the
 * cursor, which then advances, wrapping after column 79 and scrolling
 * after row 24.
 */
#include "dev/textbuf.h"
#include "lib/string.h"

static uint16_t blank(const struct textbuf *t)
{
	return (uint16_t)t->color << 8 | ' ';
}

/*
 * Shift every row up by one and blank the last. Scrolling is most of what
 * printing a line costs, so it moves two cells per instruction: memmove
 * copies forwards with rep movsl (fine on VGA memory, which needs no
 * particular access width), and the last row takes 32-bit stores.
 */
static void scroll(struct textbuf *t)
{
	uint16_t *cells = (uint16_t *)t->cells;
	memmove(cells, cells + TEXT_COLS, (TEXT_ROWS - 1) * TEXT_COLS * sizeof(*cells));
	uint32_t *last = (uint32_t *)(cells + (TEXT_ROWS - 1) * TEXT_COLS);
	uint32_t two = (uint32_t)blank(t) << 16 | blank(t);
	for (int i = 0; i < TEXT_COLS / 2; i++)
		last[i] = two;
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

/* Whether putc treats c as a control character rather than a glyph.
 * One comparison rules out almost every glyph. */
static bool control(char c)
{
	return (unsigned char)c <= '\r' && (c == '\n' || c == '\r' || c == '\b');
}

/* Draw the glyphs at the start of s[0..len) that fit on the cursor's row,
 * in one tight loop, then wrap if the row is full. Returns how many. */
static size_t row_run(struct textbuf *t, const char *s, size_t len)
{
	size_t room = TEXT_COLS - t->col, n = 0;
	if (len > room)
		len = room;
	volatile uint16_t *cell = t->cells + t->row * TEXT_COLS + t->col;
	uint16_t attr = (uint16_t)t->color << 8;
	while (n < len && !control(s[n])) {
		cell[n] = attr | (uint8_t)s[n];
		n++;
	}
	t->col += n;
	if (t->col == TEXT_COLS)
		newline(t);
	return n;
}

void textbuf_write(struct textbuf *t, const char *s, size_t len)
{
	while (len) {
		size_t n = row_run(t, s, len);
		if (n == 0) {
			textbuf_putc(t, *s);
			n = 1;
		}
		s += n;
		len -= n;
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
