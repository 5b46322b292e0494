/*
 * test_textbuf.c: console arithmetic (kernel/dev/textbuf.c) on an array
 * standing in for VGA memory: glyphs, '\n', '\r', '\b', wrapping,
 * scrolling, cursor bounds (docs/abi/console.md §1, §7).
 */
#include <stdio.h>
#include <string.h>
#include "kernel/dev/textbuf.c"

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

#define GRAY 0x07
#define RED 0x4C

static uint16_t cells[TEXT_ROWS * TEXT_COLS];
static struct textbuf t;

static void fresh(void)
{
	memset(cells, 0xAB, sizeof cells);	/* garbage: clear must overwrite */
	t = (struct textbuf){ .cells = cells, .color = GRAY };
	textbuf_clear(&t);
}

static uint16_t cell(int row, int col)
{
	return cells[row * TEXT_COLS + col];
}

static void puts_tb(const char *s)
{
	while (*s)
		textbuf_putc(&t, *s++);
}

/* True if row holds text from column 0, then blanks. */
static bool row_is(int row, const char *text)
{
	int n = strlen(text);
	for (int col = 0; col < TEXT_COLS; col++) {
		char want = col < n ? text[col] : ' ';
		if ((char)(cell(row, col) & 0xFF) != want)
			return false;
	}
	return true;
}

static void test_clear(void)
{
	fresh();
	for (int i = 0; i < TEXT_ROWS * TEXT_COLS; i++)
		CHECK(cells[i] == (GRAY << 8 | ' '));
	CHECK(t.row == 0 && t.col == 0);
}

static void test_glyphs_and_color(void)
{
	fresh();
	puts_tb("hi");
	t.color = RED;
	textbuf_putc(&t, '!');
	CHECK(cell(0, 0) == (GRAY << 8 | 'h'));
	CHECK(cell(0, 2) == (RED << 8 | '!'));
	CHECK(t.row == 0 && t.col == 3);
	textbuf_putc(&t, '\t');		/* not special: drawn as its glyph */
	textbuf_putc(&t, (char)0xDB);
	CHECK(cell(0, 3) == (RED << 8 | '\t'));
	CHECK(cell(0, 4) == (RED << 8 | 0xDB));	/* no sign extension */
}

static void test_newline_return_backspace(void)
{
	fresh();
	puts_tb("abc\nde");
	CHECK(row_is(0, "abc") && row_is(1, "de"));
	CHECK(t.row == 1 && t.col == 2);
	textbuf_putc(&t, '\r');
	CHECK(t.row == 1 && t.col == 0);
	puts_tb("X");
	CHECK(row_is(1, "Xe"));
	textbuf_putc(&t, '\b');
	CHECK(row_is(1, " e") && t.col == 0);
	textbuf_putc(&t, '\b');		/* column 0: nothing happens */
	CHECK(t.row == 1 && t.col == 0 && row_is(0, "abc"));
	t.color = RED;
	puts_tb("yz\b");
	CHECK(cell(1, 1) == (RED << 8 | ' '));	/* erased in the current colour */
}

static void test_wrap(void)
{
	fresh();
	for (int i = 0; i < TEXT_COLS; i++)
		textbuf_putc(&t, 'a' + i % 26);
	CHECK(t.row == 1 && t.col == 0);	/* wrapped after column 79 */
	CHECK((cell(0, 79) & 0xFF) == 'a' + 79 % 26);
	textbuf_putc(&t, 'Z');
	CHECK(cell(1, 0) == (GRAY << 8 | 'Z'));
	textbuf_putc(&t, '\b');
	textbuf_putc(&t, '\b');		/* does not go back into row 0 */
	CHECK(t.row == 1 && t.col == 0 && (cell(0, 79) & 0xFF) == 'a' + 79 % 26);
}

static void test_scroll(void)
{
	fresh();
	for (int r = 0; r < TEXT_ROWS; r++) {
		char line[16];
		snprintf(line, sizeof line, "r%d", r);
		puts_tb(line);
		if (r < TEXT_ROWS - 1)
			textbuf_putc(&t, '\n');
	}
	CHECK(t.row == TEXT_ROWS - 1 && row_is(0, "r0") && row_is(24, "r24"));
	t.color = RED;
	textbuf_putc(&t, '\n');		/* past row 24: everything moves up */
	CHECK(t.row == TEXT_ROWS - 1 && t.col == 0);
	CHECK(row_is(0, "r1") && row_is(23, "r24") && row_is(24, ""));
	CHECK(cell(24, 0) == (RED << 8 | ' '));
	/* A glyph in the last cell wraps and scrolls too. */
	fresh();
	textbuf_set_cursor(&t, TEXT_ROWS - 1, TEXT_COLS - 1);
	textbuf_putc(&t, 'E');
	CHECK(t.row == TEXT_ROWS - 1 && t.col == 0);
	CHECK((cell(23, 79) & 0xFF) == 'E' && row_is(24, ""));
	/* Many scrolls keep the cursor on the screen. */
	for (int i = 0; i < 1000; i++)
		puts_tb("line\n");
	CHECK(t.row == TEXT_ROWS - 1 && row_is(23, "line") && row_is(24, ""));
}

static void test_set_cursor(void)
{
	fresh();
	CHECK(textbuf_set_cursor(&t, 24, 79) && t.row == 24 && t.col == 79);
	CHECK(textbuf_set_cursor(&t, 0, 0) && t.row == 0 && t.col == 0);
	static const int bad[][2] = { {25, 0}, {0, 80}, {-1, 0}, {0, -1}, {1000, 1000} };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		textbuf_set_cursor(&t, 3, 4);
		CHECK(!textbuf_set_cursor(&t, bad[i][0], bad[i][1]));
		CHECK(t.row == 3 && t.col == 4);	/* nothing changed */
	}
	puts_tb("q");
	CHECK(cell(3, 4) == (GRAY << 8 | 'q'));
}

int main(void)
{
	test_clear();
	test_glyphs_and_color();
	test_newline_return_backspace();
	test_wrap();
	test_scroll();
	test_set_cursor();
	if (failures)
		printf("test_textbuf: %d failure(s)\n", failures);
	return failures != 0;
}
