/*
 * ktest_kbd.c: the keyboard and the input stream in the running kernel.
 *
 * kbd_echo is driven from outside: a host test types into it (QMP
 * send-key and serial) and reads the lines back from the serial log.
 * kbd_inject needs no one: the i8042 command 0xD2 hands a byte back as if
 * the keyboard had sent it, IRQ1 included, so the whole path from the
 * controller to readline runs.
 */
#include <stdint.h>
#include "debug/ktest.h"
#include "arch/x86/pit.h"
#include "arch/x86/x86.h"
#include "dev/console.h"
#include "dev/input.h"
#include "dev/textbuf.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define LINE_BUF 256

/* Echo each line typed as "LINE: <text>" until the line "quit". */
KTEST(kbd_echo)
{
	static char buf[LINE_BUF + 1];
	kprintf("kbd: reading\n");
	for (;;) {
		int n = input_readline(buf, LINE_BUF);
		KCHECK(n > 0 && n <= LINE_BUF);
		if (n > 0 && buf[n - 1] == '\n')
			n--;
		buf[n] = 0;
		kprintf("LINE: %s\n", buf);
		if (strcmp(buf, "quit") == 0)
			return;
	}
}

#define I8042_DATA 0x60
#define I8042_CMD  0x64
#define I8042_OUT_FULL 0x01
#define I8042_IN_FULL  0x02
#define I8042_FAKE_KEY 0xD2	/* the next data byte comes back as a key byte */
#define WAIT_TICKS 100		/* 1 s: the IRQ takes a byte in microseconds */

/* Wait until none of bits is set in the controller status. */
static bool wait_clear(uint8_t bits)
{
	uint32_t end = pit_ticks() + WAIT_TICKS;
	while (inb(I8042_CMD) & bits)
		if (pit_ticks() > end)
			return false;
	return true;
}

/* Have the controller deliver bytes as keyboard input, one IRQ each. */
static void inject(const uint8_t *bytes, int n)
{
	for (int i = 0; i < n; i++) {
		/* The previous byte must be taken by the IRQ first. */
		KCHECK(wait_clear(I8042_IN_FULL | I8042_OUT_FULL));
		outb(I8042_CMD, I8042_FAKE_KEY);
		KCHECK(wait_clear(I8042_IN_FULL));
		outb(I8042_DATA, bytes[i]);
	}
	KCHECK(wait_clear(I8042_OUT_FULL));
}

/* True if screen row starts with text (the console is VGA at 0xB8000). */
static bool row_starts_with(int row, const char *text)
{
	const volatile uint16_t *cells = (const volatile uint16_t *)0xB8000;
	for (int i = 0; text[i]; i++)
		if ((char)(cells[row * TEXT_COLS + i] & 0xFF) != text[i])
			return false;
	return true;
}

/* Keys typed before anyone reads: buffered, edited, echoed on readline. */
KTEST(kbd_inject)
{
	/* Shift+h, i, Backspace x2, o, k, Enter (makes and breaks). */
	static const uint8_t typed[] = {
		0x2A, 0x23, 0xA3, 0xAA, 0x17, 0x97, 0x0E, 0x8E, 0x0E, 0x8E,
		0x18, 0x98, 0x25, 0xA5, 0x1C, 0x9C,
	};
	char buf[LINE_BUF];
	inject(typed, sizeof typed);
	KCHECK(input_readline(buf, sizeof buf) == 3 && memcmp(buf, "ok\n", 3) == 0);
	int row, col;
	console_get_cursor(&row, &col);		/* just below the echoed line */
	KCHECK(row > 0 && col == 0 && row_starts_with(row - 1, "ok"));
	/* Keypad 1 + 2, keypad Enter (E0 1C): getchar sees them unechoed. */
	static const uint8_t keypad[] = {
		0x4F, 0xCF, 0x4E, 0xCE, 0x50, 0xD0, 0xE0, 0x1C, 0xE0, 0x9C,
	};
	inject(keypad, sizeof keypad);
	console_get_cursor(&row, &col);
	KCHECK(input_getchar() == '1');
	KCHECK(input_getchar() == '+');
	KCHECK(input_getchar() == '2');
	KCHECK(input_getchar() == '\n');
	int row2, col2;
	console_get_cursor(&row2, &col2);
	KCHECK(row2 == row && col2 == col);
}
