/*
 * inputq.h: the input stream's buffer and line discipline
 * (docs/abi/console.md §2-§4), as pure decisions: what to store, what to
 * echo, what a reader gets. input.c adds the lock, the blocking and the
 * console; unit tests drive it directly.
 *
 * The buffer is a ring of INPUT_SIZE characters. '\b' is never stored: it
 * edits the current line (the characters after the last '\n') at once,
 * so it works even when the buffer is full. Echo is pulled by the
 * reader, never pushed from an interrupt handler: a readline takes the
 * echo it owes with inputq_echo (the buffered characters it is about to
 * own, as they come) and writes it to the screen itself. The echoed
 * characters always form a prefix of the buffer ("shown"), so a '\b'
 * knows whether its victim is on the screen; if it is, the screen is owed
 * a '\b' too ("rubout"), which the next echo carries first.
 *
 * Not thread-safe: the owner serialises every call (input.c: its lock).
 */
#ifndef DEV_INPUTQ_H
#define DEV_INPUTQ_H

#define INPUT_SIZE 4096		/* docs/abi/console.md §2.2; a power of two */

struct inputq {
	char buf[INPUT_SIZE];	/* ring: the stream is buf[head .. head+len) */
	unsigned head, len;
	unsigned lines;		/* '\n's in the buffer: complete lines */
	unsigned line;		/* characters after the last '\n' (editable) */
	unsigned shown;		/* characters at the head already echoed */
	unsigned rubout;	/* shown characters erased since: '\b's owed */
};

/* Take one character of input ('\b' edits; a full buffer drops). */
void inputq_put(struct inputq *q, char c);
/* The next character (0-255), or -1 if the buffer is empty. */
int inputq_getchar(struct inputq *q);
/*
 * The echo a readline owes the screen, at most max bytes of it into dst:
 * first the rubouts, then the characters it will own that are not shown
 * yet (up to the end of the first line, or all if no line is complete),
 * which count as shown from now on. Returns the count; 0 once the
 * screen has caught up.
 */
unsigned inputq_echo(struct inputq *q, char *dst, unsigned max);
/*
 * One attempt of a readline of size > 0 bytes: if a whole line is
 * buffered, copy min(its length, size) bytes into dst and return the
 * count; otherwise return -1 (the caller waits for input and tries
 * again). The caller has taken the echo first.
 */
int inputq_readline(struct inputq *q, char *dst, int size);

#endif
