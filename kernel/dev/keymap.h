/*
 * keymap.h: PS/2 scancode set 1 to characters, US layout.
 *
 * This is what QEMU's i8042 delivers with translation on (the default).
 * A key press ("make") is a byte 0x01-0x58, its release ("break") the
 * same byte | 0x80; 0xE0 prefixes the extended keys (right ctrl, keypad /
 * and Enter, arrows, ...) and 0xE1 starts the six-byte Pause sequence.
 * Pure code: the driver (kbd.c) feeds it bytes, unit tests feed it
 * sequences.
 */
#ifndef DEV_KEYMAP_H
#define DEV_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

/* Bits of kbd_state.held: the modifier keys now down. */
#define KBD_LSHIFT  0x01
#define KBD_RSHIFT  0x02
#define KBD_LCTRL   0x04
#define KBD_RCTRL   0x08
#define KBD_CAPSKEY 0x10	/* caps lock key itself (so repeats do not toggle) */

/* Decoder state between bytes; all zero is the state at power-on. */
struct kbd_state {
	uint8_t held;	/* KBD_* bits */
	bool caps;	/* caps lock is on */
	bool ext;	/* the previous byte was the 0xE0 prefix */
	uint8_t skip;	/* bytes of a Pause sequence still to ignore */
};

/*
 * Feed one scancode byte. Returns the character the key press means
 * (0-255), or -1 if it means none: releases, modifiers, prefixes and
 * keys without an ASCII meaning (arrows, F-keys, ...). Shift and caps
 * lock choose the case (caps lock affects letters only), ctrl+letter
 * gives 1-26, the keypad always gives its digit or operator (num lock is
 * taken as on).
 */
int kbd_decode(struct kbd_state *s, uint8_t scancode);

#endif
