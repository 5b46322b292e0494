/* console_calls.c: print refuses a negative size, a size over 4096 and a
 * buffer it cannot read, printing nothing (the cursor stays put), and
 * print(0, buf) is 0; output moves the cursor as docs/abi/console.md §1
 * says. set_term_color takes exactly 0x00-0xFF. set_cursor_pos takes
 * rows 0-24 and columns 0-79 only (the size probe finds 25 x 80) and a
 * refused move changes nothing. get_cursor_pos needs two writable
 * pointers. */
#include <limits.h>
#include <stddef.h>
#include <syscall.h>
#include "testlib.h"

#define REGION 0x40000000u
#define ROWS 25
#define COLS 80

static char big[4097];
static const char ro_text[] = "rodata";

int main(void);

static int at(int row, int col)
{
	int r = -1, c = -1;
	return get_cursor_pos(&r, &c) == 0 && r == row && c == col;
}

/* Refused prints print nothing: the cursor does not move. */
static void print_errors(void)
{
	for (int i = 0; i < (int)sizeof big; i++)
		big[i] = i % 64 == 63 ? '\n' : ' ';	/* blank lines */
	CHECK(set_cursor_pos(5, 0) == 0);
	CHECK(print(-1, big) < 0);
	CHECK(print(INT_MIN, big) < 0);
	CHECK(print(4097, big) < 0);
	CHECK(print(0x7FFFFFFF, big) < 0);
	CHECK(print(10, NULL) < 0);
	CHECK(print(10, (char *)0x500000) < 0);
	CHECK(print(10, (char *)0x00FFFFFC) < 0);
	CHECK(print(10, (char *)0xDEAD0000) < 0);
	CHECK(new_pages((void *)REGION, PAGE_SIZE) == 0);
	char *edge = (char *)REGION + PAGE_SIZE - 5;	/* 5 of 10 bytes mapped */
	for (int i = 0; i < 5; i++)
		edge[i] = '!';
	CHECK(print(10, edge) < 0);
	CHECK(print(4096, (char *)REGION + 1) < 0);
	CHECK(remove_pages((void *)REGION) == 0);
	CHECK(print(4, (char *)REGION) < 0);		/* removed */
	CHECK(print(0, big) == 0);
	CHECK(at(5, 0));
}

/* What output does to the cursor; read-only buffers print fine. */
static void print_moves(void)
{
	CHECK(set_cursor_pos(6, 0) == 0);
	CHECK(print(3, "abc") == 0 && at(6, 3));
	CHECK(print(1, "\n") == 0 && at(7, 0));
	CHECK(print(4, "xy\rz") == 0 && at(7, 1));
	CHECK(print(2, "\b\b") == 0 && at(7, 0));	/* nothing at column 0 */
	CHECK(set_cursor_pos(8, 78) == 0);
	CHECK(print(3, "123") == 0 && at(9, 1));	/* wraps */
	CHECK(set_cursor_pos(ROWS - 1, 0) == 0);
	CHECK(print(1, "\n") == 0 && at(ROWS - 1, 0));	/* scrolls */
	CHECK(set_cursor_pos(10, 0) == 0);
	CHECK(print(4096, big) == 0);		/* exactly the cap */
	CHECK(set_cursor_pos(10, 0) == 0);
	CHECK(print(6, (char *)ro_text) == 0 && at(10, 6));
	print(1, "\n");
}

static void colors(void)
{
	int ok = 1;
	for (int c = 0; c <= 0xFF; c++)
		ok &= set_term_color(c) == 0;
	CHECK(ok);
	CHECK(set_term_color(-1) < 0);
	CHECK(set_term_color(0x100) < 0);
	CHECK(set_term_color(0x107) < 0);
	CHECK(set_term_color(INT_MIN) < 0);
	CHECK(set_term_color(INT_MAX) < 0);
	CHECK(set_term_color(FGND_LGRAY | BGND_BLACK) == 0);
}

/* The probe programs use; then refused moves leave the cursor. */
static void cursor_bounds(void)
{
	int rows = 0, cols = 0;
	while (rows < 1000 && set_cursor_pos(rows, 0) == 0)
		rows++;
	while (cols < 1000 && set_cursor_pos(0, cols) == 0)
		cols++;
	CHECK(rows == ROWS && cols == COLS);
	CHECK(set_cursor_pos(ROWS - 1, COLS - 1) == 0 && at(ROWS - 1, COLS - 1));
	CHECK(set_cursor_pos(3, 7) == 0);
	CHECK(set_cursor_pos(ROWS, 0) < 0);
	CHECK(set_cursor_pos(0, COLS) < 0);
	CHECK(set_cursor_pos(ROWS - 1, COLS) < 0);
	CHECK(set_cursor_pos(-1, 0) < 0);
	CHECK(set_cursor_pos(0, -1) < 0);
	CHECK(set_cursor_pos(INT_MIN, INT_MIN) < 0);
	CHECK(set_cursor_pos(INT_MAX, 0) < 0);
	CHECK(at(3, 7));
}

static void get_errors(void)
{
	int r, c;
	CHECK(get_cursor_pos(&r, (int *)main) < 0);	/* read-only text */
	CHECK(get_cursor_pos((int *)main, &c) < 0);
	CHECK(get_cursor_pos(&r, (int *)0x500000) < 0);
	CHECK(get_cursor_pos((int *)0x500000, &c) < 0);
	CHECK(get_cursor_pos(NULL, &c) < 0);
	CHECK(get_cursor_pos(&r, NULL) < 0);
	CHECK(get_cursor_pos(&r, (int *)0xDEAD0000) < 0);
	CHECK(get_cursor_pos(&r, (int *)0x00FFFFFE) < 0);
	CHECK(get_cursor_pos(&r, &r) == 0);
}

int main(void)
{
	print_errors();
	print_moves();
	colors();
	cursor_bounds();
	get_errors();
	test_done();
}
