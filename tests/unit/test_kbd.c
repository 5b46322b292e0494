/*
 * test_kbd.c: the scancode set 1 decoder (kernel/dev/keymap.c), fed the
 * byte sequences a PS/2 keyboard sends.
 */
#include <stdio.h>
#include <string.h>
#include "kernel/dev/keymap.c"

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

/* Feed n bytes; the characters produced, in order, go to out (NUL-ended). */
static void feed(struct kbd_state *s, const uint8_t *bytes, int n, char *out)
{
	int len = 0;
	for (int i = 0; i < n; i++) {
		int c = kbd_decode(s, bytes[i]);
		if (c >= 0)
			out[len++] = (char)c;
	}
	out[len] = 0;
}

/* Press and release one key (make, then make | 0x80). */
static int tap(struct kbd_state *s, uint8_t code)
{
	int c = kbd_decode(s, code);
	int r = kbd_decode(s, code | 0x80);
	CHECK(r == -1);
	return c;
}

static int tap_ext(struct kbd_state *s, uint8_t code)
{
	CHECK(kbd_decode(s, 0xE0) == -1);
	int c = kbd_decode(s, code);
	CHECK(kbd_decode(s, 0xE0) == -1);
	CHECK(kbd_decode(s, code | 0x80) == -1);
	return c;
}

/* Every key of the US main block, unshifted and shifted. */
static void test_layout(void)
{
	static const struct { uint8_t code; int plain, shift; } keys[] = {
		{0x01, 27, 27}, {0x02, '1', '!'}, {0x03, '2', '@'}, {0x04, '3', '#'},
		{0x05, '4', '$'}, {0x06, '5', '%'}, {0x07, '6', '^'}, {0x08, '7', '&'},
		{0x09, '8', '*'}, {0x0A, '9', '('}, {0x0B, '0', ')'}, {0x0C, '-', '_'},
		{0x0D, '=', '+'}, {0x0E, '\b', '\b'}, {0x0F, '\t', '\t'},
		{0x10, 'q', 'Q'}, {0x11, 'w', 'W'}, {0x12, 'e', 'E'}, {0x13, 'r', 'R'},
		{0x14, 't', 'T'}, {0x15, 'y', 'Y'}, {0x16, 'u', 'U'}, {0x17, 'i', 'I'},
		{0x18, 'o', 'O'}, {0x19, 'p', 'P'}, {0x1A, '[', '{'}, {0x1B, ']', '}'},
		{0x1C, '\n', '\n'}, {0x1E, 'a', 'A'}, {0x1F, 's', 'S'}, {0x20, 'd', 'D'},
		{0x21, 'f', 'F'}, {0x22, 'g', 'G'}, {0x23, 'h', 'H'}, {0x24, 'j', 'J'},
		{0x25, 'k', 'K'}, {0x26, 'l', 'L'}, {0x27, ';', ':'}, {0x28, '\'', '"'},
		{0x29, '`', '~'}, {0x2B, '\\', '|'}, {0x2C, 'z', 'Z'}, {0x2D, 'x', 'X'},
		{0x2E, 'c', 'C'}, {0x2F, 'v', 'V'}, {0x30, 'b', 'B'}, {0x31, 'n', 'N'},
		{0x32, 'm', 'M'}, {0x33, ',', '<'}, {0x34, '.', '>'}, {0x35, '/', '?'},
		{0x37, '*', '*'}, {0x39, ' ', ' '},
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		struct kbd_state s = {0};
		int c = tap(&s, keys[i].code);
		if (c != keys[i].plain)
			printf("key %#x: got %d, want %d\n", keys[i].code, c, keys[i].plain);
		CHECK(c == keys[i].plain);
		kbd_decode(&s, 0x2A);		/* left shift down */
		c = tap(&s, keys[i].code);
		if (c != keys[i].shift)
			printf("shift key %#x: got %d, want %d\n", keys[i].code, c, keys[i].shift);
		CHECK(c == keys[i].shift);
	}
}

/* Keys with no ASCII meaning produce nothing, pressed or released. */
static void test_silent_keys(void)
{
	static const uint8_t silent[] = {
		0x1D, 0x2A, 0x36, 0x38, 0x3A, 0x3B, 0x3C, 0x44, 0x45, 0x46,
		0x54, 0x56, 0x57, 0x58, 0x59, 0x7F, 0x00,
	};
	for (size_t i = 0; i < sizeof silent; i++) {
		struct kbd_state s = {0};
		CHECK(tap(&s, silent[i]) == -1);
	}
	/* Extended: arrows, home/end, pgup/pgdn, ins/del, right alt, GUI keys. */
	static const uint8_t ext_silent[] = {
		0x48, 0x50, 0x4B, 0x4D, 0x47, 0x4F, 0x49, 0x51, 0x52, 0x53,
		0x38, 0x5B, 0x5C, 0x5D, 0x37,
	};
	for (size_t i = 0; i < sizeof ext_silent; i++) {
		struct kbd_state s = {0};
		CHECK(tap_ext(&s, ext_silent[i]) == -1);
	}
}

static void test_shift_both_and_release(void)
{
	struct kbd_state s = {0};
	kbd_decode(&s, 0x36);			/* right shift down */
	CHECK(tap(&s, 0x1E) == 'A');
	kbd_decode(&s, 0x2A);			/* left too */
	kbd_decode(&s, 0xB6);			/* right up: left still held */
	CHECK(tap(&s, 0x1E) == 'A');
	kbd_decode(&s, 0xAA);			/* left up */
	CHECK(tap(&s, 0x1E) == 'a');
	CHECK(s.held == 0);
}

static void test_caps_lock(void)
{
	struct kbd_state s = {0};
	tap(&s, 0x3A);
	CHECK(s.caps);
	CHECK(tap(&s, 0x10) == 'Q');		/* letters are upper case */
	CHECK(tap(&s, 0x02) == '1');		/* digits are not shifted */
	CHECK(tap(&s, 0x1A) == '[');
	kbd_decode(&s, 0x2A);
	CHECK(tap(&s, 0x10) == 'q');		/* shift inverts caps */
	CHECK(tap(&s, 0x02) == '!');
	kbd_decode(&s, 0xAA);
	/* Holding caps lock repeats its make code: it toggles once. */
	kbd_decode(&s, 0x3A);
	kbd_decode(&s, 0x3A);
	kbd_decode(&s, 0x3A);
	kbd_decode(&s, 0xBA);
	CHECK(!s.caps);
	CHECK(tap(&s, 0x10) == 'q');
}

static void test_ctrl(void)
{
	struct kbd_state s = {0};
	kbd_decode(&s, 0x1D);			/* left ctrl */
	CHECK(tap(&s, 0x1E) == 1);		/* ctrl-a */
	CHECK(tap(&s, 0x2E) == 3);		/* ctrl-c */
	CHECK(tap(&s, 0x2C) == 26);		/* ctrl-z */
	kbd_decode(&s, 0x2A);
	CHECK(tap(&s, 0x20) == 4);		/* ctrl-shift-d is still ^D */
	kbd_decode(&s, 0xAA);
	CHECK(tap(&s, 0x02) == '1');		/* non-letters are unchanged */
	kbd_decode(&s, 0x9D);
	CHECK(tap(&s, 0x1E) == 'a');
	/* Right ctrl is E0 1D; its release E0 9D. */
	kbd_decode(&s, 0xE0);
	kbd_decode(&s, 0x1D);
	CHECK(tap(&s, 0x26) == 12);		/* ctrl-l */
	kbd_decode(&s, 0xE0);
	kbd_decode(&s, 0x9D);
	CHECK(tap(&s, 0x26) == 'l');
	CHECK(s.held == 0);
}

static void test_keypad(void)
{
	static const uint8_t codes[] = {
		0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F, 0x50, 0x51, 0x52, 0x53, 0x37,
	};
	char out[32];
	int n = 0;
	struct kbd_state s = {0};
	for (size_t i = 0; i < sizeof codes; i++)
		out[n++] = (char)tap(&s, codes[i]);
	out[n] = 0;
	CHECK(strcmp(out, "789-456+1230.*") == 0);
	CHECK(tap_ext(&s, 0x35) == '/');	/* keypad / */
	CHECK(tap_ext(&s, 0x1C) == '\n');	/* keypad Enter */
	kbd_decode(&s, 0x2A);
	CHECK(tap(&s, 0x47) == '7');		/* num lock is on: shift is moot */
	kbd_decode(&s, 0xAA);
}

/* Bytes with no meaning of their own must not disturb the state. */
static void test_sequences(void)
{
	struct kbd_state s = {0};
	char out[32];
	/* Shift+Home on some keyboards: E0 AA E0 47 ... fake shift release. */
	static const uint8_t fake[] = { 0x2A, 0xE0, 0xAA, 0xE0, 0x47, 0xE0, 0xC7, 0xE0, 0x2A, 0x1E, 0x9E, 0xAA };
	feed(&s, fake, sizeof fake, out);
	CHECK(strcmp(out, "A") == 0);	/* the real shift survived the fake release */
	CHECK(s.held == 0);
	/* Pause: E1 1D 45 E1 9D C5 must not leave ctrl held. */
	static const uint8_t pause[] = { 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, 0x1E, 0x9E };
	feed(&s, pause, sizeof pause, out);
	CHECK(strcmp(out, "a") == 0);
	CHECK(s.held == 0 && s.skip == 0 && !s.ext);
	/* Print Screen: E0 2A E0 37, release E0 B7 E0 AA. */
	static const uint8_t prtsc[] = { 0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA, 0x30, 0xB0 };
	feed(&s, prtsc, sizeof prtsc, out);
	CHECK(strcmp(out, "b") == 0);
	/* Typing "Hi!\n" with shifts in between. */
	static const uint8_t hi[] = { 0x2A, 0x23, 0xA3, 0xAA, 0x17, 0x97, 0x36, 0x02, 0x82, 0xB6, 0x1C, 0x9C };
	feed(&s, hi, sizeof hi, out);
	CHECK(strcmp(out, "Hi!\n") == 0);
	/* Typematic repeat: several makes, one release. */
	static const uint8_t rep[] = { 0x1F, 0x1F, 0x1F, 0x9F };
	feed(&s, rep, sizeof rep, out);
	CHECK(strcmp(out, "sss") == 0);
	/* Controller replies (ACK 0xFA, BAT OK 0xAA, resend 0xFE) give nothing. */
	static const uint8_t replies[] = { 0xFA, 0xFE, 0xEE, 0xFF, 0x00 };
	feed(&s, replies, sizeof replies, out);
	CHECK(out[0] == 0);
}

int main(void)
{
	test_layout();
	test_silent_keys();
	test_shift_both_and_release();
	test_caps_lock();
	test_ctrl();
	test_keypad();
	test_sequences();
	if (failures)
		printf("test_kbd: %d failure(s)\n", failures);
	return failures != 0;
}
