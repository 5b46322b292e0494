/*
 * test_textbuf_write.c: textbuf_write (kernel/dev/textbuf.c), the fast
 * path of the console, must draw exactly what textbuf_putc does byte by
 * byte: random text with newlines, returns, backspaces and other control
 * bytes, written in random pieces from random cursor positions, compared
 * cell by cell and cursor by cursor with the byte-at-a-time result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/dev/textbuf.c"

#define CELLS (TEXT_ROWS * TEXT_COLS)
#define ROUNDS 2000
#define MAXLEN 400

static uint16_t fast_cells[CELLS], slow_cells[CELLS];
static struct textbuf fast = { .cells = fast_cells, .color = 0x07 };
static struct textbuf slow = { .cells = slow_cells, .color = 0x07 };

/* Mostly glyphs (including bytes above 0x7F and harmless controls such
 * as tab), with the three control characters now and then. */
static char random_byte(void)
{
	static const char special[] = { '\n', '\r', '\b', '\t', 0, (char)0xFF };
	if (rand() % 8 == 0)
		return special[rand() % sizeof(special)];
	return (char)(' ' + rand() % 95);
}

/* Move both cursors to the same random place, sometimes the last row
 * (so that the write scrolls) or the last column (so that it wraps). */
static void random_cursor(void)
{
	int row = rand() % 3 ? TEXT_ROWS - 1 : rand() % TEXT_ROWS;
	int col = rand() % 4 ? rand() % TEXT_COLS : TEXT_COLS - 1;
	textbuf_set_cursor(&fast, row, col);
	textbuf_set_cursor(&slow, row, col);
}

static int same(int round, size_t len)
{
	if (memcmp(fast_cells, slow_cells, sizeof(fast_cells)) == 0 &&
	    fast.row == slow.row && fast.col == slow.col)
		return 1;
	printf("round %d (%zu bytes): textbuf_write differs from textbuf_putc "
	       "(cursor %d,%d vs %d,%d)\n", round, len, fast.row, fast.col, slow.row, slow.col);
	return 0;
}

int main(void)
{
	char buf[MAXLEN];
	srand(1);
	textbuf_clear(&fast);
	textbuf_clear(&slow);
	for (int round = 0; round < ROUNDS; round++) {
		size_t len = rand() % MAXLEN;
		for (size_t i = 0; i < len; i++)
			buf[i] = random_byte();
		if (rand() % 2)
			random_cursor();
		fast.color = slow.color = (uint8_t)rand();
		textbuf_write(&fast, buf, len);
		for (size_t i = 0; i < len; i++)
			textbuf_putc(&slow, buf[i]);
		if (!same(round, len))
			return 1;
	}
	return 0;
}
