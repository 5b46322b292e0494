/*
 * keymap.c: scancode set 1 decoding, US layout (see keymap.h).
 */
#include "dev/keymap.h"

#define E0_PREFIX  0xE0
#define E1_PREFIX  0xE1
#define PAUSE_TAIL 2		/* E1 is followed by two more bytes, twice */
#define RELEASE    0x80

#define SC_LCTRL   0x1D	/* E0 1D: right ctrl */
#define SC_LSHIFT  0x2A
#define SC_RSHIFT  0x36
#define SC_CAPS    0x3A
#define SC_ENTER   0x1C	/* E0 1C: keypad Enter */
#define SC_SLASH   0x35	/* E0 35: keypad / */
#define SC_KP_7    0x47	/* first key of the keypad block */
#define SC_KP_DOT  0x53	/* last */

/*
 * The main block, indexed by scancode 0x00-0x39; '\0' marks a key with no
 * character (modifiers). Pieces are separate literals so that no escape
 * swallows the next character.
 */
static const char plain[] =
	"\0" "\033" "1234567890-=" "\b" "\t"
	"qwertyuiop[]" "\n" "\0"
	"asdfghjkl;'`" "\0" "\\"
	"zxcvbnm,./" "\0" "*" "\0" " ";
static const char shifted[] =
	"\0" "\033" "!@#$%^&*()_+" "\b" "\t"
	"QWERTYUIOP{}" "\n" "\0"
	"ASDFGHJKL:\"~" "\0" "|"
	"ZXCVBNM<>?" "\0" "*" "\0" " ";
_Static_assert(sizeof plain == SC_CAPS + 1, "plain covers 0x00-0x39");
_Static_assert(sizeof shifted == sizeof plain, "shifted matches plain");

/* Scancodes 0x47-0x53 with num lock on. */
static const char keypad[] = "789-456+1230.";
_Static_assert(sizeof keypad == SC_KP_DOT - SC_KP_7 + 2, "keypad covers 0x47-0x53");

/* The KBD_* bit a modifier key sets, or 0 if code is not one. */
static uint8_t modifier_bit(uint8_t code, bool ext)
{
	switch (code) {
	case SC_LCTRL:  return ext ? KBD_RCTRL : KBD_LCTRL;
	/* E0 2A / E0 36 are "fake shifts" some keys send around themselves;
	 * as extended keys without a character they then come to nothing. */
	case SC_LSHIFT: return ext ? 0 : KBD_LSHIFT;
	case SC_RSHIFT: return ext ? 0 : KBD_RSHIFT;
	case SC_CAPS:   return ext ? 0 : KBD_CAPSKEY;
	default:        return 0;
	}
}

/* Track a modifier key; true if code was one (it then means no character). */
static bool track_modifier(struct kbd_state *s, uint8_t code, bool ext, bool up)
{
	uint8_t bit = modifier_bit(code, ext);
	if (!bit)
		return false;
	if (bit == KBD_CAPSKEY && !up && !(s->held & KBD_CAPSKEY))
		s->caps = !s->caps;	/* only the first make of a held key */
	if (up)
		s->held &= ~bit;
	else
		s->held |= bit;
	return true;
}

/* A key of the main block, under the current modifiers. */
static int main_key(const struct kbd_state *s, uint8_t code)
{
	char c = plain[code];
	bool shift = s->held & (KBD_LSHIFT | KBD_RSHIFT);
	if (c >= 'a' && c <= 'z') {
		if (s->held & (KBD_LCTRL | KBD_RCTRL))
			return c - 'a' + 1;
		return shift != s->caps ? c - 'a' + 'A' : c;
	}
	c = shift ? shifted[code] : c;
	return c ? (unsigned char)c : -1;
}

/* The character of an extended (E0) key: only the keypad's Enter and
 * slash have one; -1 for the others. */
static int ext_key(uint8_t code)
{
	if (code == SC_ENTER)
		return '\n';
	if (code == SC_SLASH)
		return '/';
	return -1;
}

/* The character of a key press (not a modifier), or -1. */
static int press(const struct kbd_state *s, uint8_t code, bool ext)
{
	if (ext)
		return ext_key(code);
	if (code < sizeof plain - 1)
		return main_key(s, code);
	if (code >= SC_KP_7 && code <= SC_KP_DOT)
		return keypad[code - SC_KP_7];
	return -1;		/* F-keys, num/scroll lock, unknown codes */
}

int kbd_decode(struct kbd_state *s, uint8_t scancode)
{
	if (s->skip) {
		s->skip--;
		return -1;
	}
	if (scancode == E0_PREFIX) {
		s->ext = true;
		return -1;
	}
	if (scancode == E1_PREFIX) {
		s->skip = PAUSE_TAIL;
		return -1;
	}
	bool ext = s->ext, up = scancode & RELEASE;
	uint8_t code = scancode & ~RELEASE;
	s->ext = false;
	if (track_modifier(s, code, ext, up) || up)
		return -1;
	return press(s, code, ext);
}
