/*
 * colors.c: the console's colours (docs/abi/console.md §6): each of the 16
 * foreground colours on each of the 8 backgrounds, labelled with the
 * attribute byte to pass to set_term_color. There is no call to read
 * the colour in force, so the console's initial one is put back.
 */
#include <stdio.h>
#include <syscall.h>

#define FOREGROUNDS 16
#define BACKGROUNDS 8
#define DEFAULT     (FGND_LGRAY | BGND_BLACK)

static const char *const names[FOREGROUNDS] = {
	"black", "blue", "green", "cyan", "red", "magenta", "brown", "lgray",
	"dgray", "bblue", "bgreen", "bcyan", "pink", "bmagenta", "yellow", "white",
};

/* One row: foreground fg on every background. */
static void row(int fg)
{
	printf("%-9s", names[fg]);
	for (int bg = 0; bg < BACKGROUNDS; bg++) {
		int color = bg << 4 | fg;
		char cell[8];
		int n = snprintf(cell, sizeof cell, " %02x ", color);
		set_term_color(color);
		print(n, cell);
		set_term_color(DEFAULT);
		print(1, " ");
	}
	printf("\n");
}

int main(void)
{
	printf("set_term_color(attribute): background in the high nibble\n");
	for (int fg = 0; fg < FOREGROUNDS; fg++)
		row(fg);
	set_term_color(DEFAULT);
	return 0;
}
