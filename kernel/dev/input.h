/*
 * input.h: the kernel's one input stream (docs/abi/console.md §2-§4). The
 * keyboard and the serial port feed it from their interrupts; getchar and
 * readline callers take from it one at a time, in arrival order.
 */
#ifndef DEV_INPUT_H
#define DEV_INPUT_H

/* Add one character (interrupt context; '\b' edits the current line). */
void input_put(char c);
/* The next character, 0-255, unechoed. Blocks until there is one. */
int input_getchar(void);
/*
 * Block until a whole line is typed (echoing it), then copy
 * min(line length, size) bytes into kbuf and return that count; the rest
 * of a longer line stays queued. 0 <= size; size 0 returns 0 at once.
 */
int input_readline(char *kbuf, int size);

#endif
