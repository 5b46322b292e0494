/*
 * inputq.h: the input stream's buffer and line discipline
 * (docs/abi/console.md §2-§4), as pure decisions: what to store, what to
 * echo, what a reader gets. input.c adds the lock, the blocking and the
 * console; unit tests drive it directly.
 *
 * The buffer is a ring of INPUT_SIZE characters. '\b' is never stored: it
 * edits the current line (the characters after the last '\n') at once,
 * so it works even when the buffer is full. Echo rules: while a readline
 * waits for its line, arriving characters are echoed; on its start, a
 * readline first echoes the buffered characters it is about to own. The
 * echoed characters always form a prefix of the buffer ("shown"), so a
 * '\b' knows whether its victim is on the screen.
 *
 * Not thread-safe: the owner serialises every call (input.c: its lock).
 */
#ifndef DEV_INPUTQ_H
#define DEV_INPUTQ_H

#include <stdbool.h>

#define INPUT_SIZE 4096		/* docs/abi/console.md §2.2; a power of two */

typedef void (*inputq_echo_t)(const char *s, unsigned n);

struct inputq {
	char buf[INPUT_SIZE];	/* ring: the stream is buf[head .. head+len) */
	unsigned head, len;
	unsigned lines;		/* '\n's in the buffer: complete lines */
	unsigned line;		/* characters after the last '\n' (editable) */
	unsigned shown;		/* characters at the head already echoed */
	bool echoing;		/* a readline waits for its line */
	inputq_echo_t echo;	/* where echo goes (the console) */
};

#define INPUTQ_INIT(fn) { .echo = (fn) }

/* Take one character of input ('\b' edits; a full buffer drops). */
void inputq_put(struct inputq *q, char c);
/* The next character (0-255), or -1 if the buffer is empty. */
int inputq_getchar(struct inputq *q);
/*
 * One attempt of a readline of size > 0 bytes: if a whole line is
 * buffered, copy min(its length, size) bytes into dst and return the
 * count; otherwise return -1, and echo from now on until '\n' arrives
 * (the caller waits for input and tries again). Either way the buffered
 * characters destined for this readline are echoed first.
 */
int inputq_readline(struct inputq *q, char *dst, int size);

#endif
