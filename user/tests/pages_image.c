/* pages_image.c: new_pages over the page holding the stack pointer, the
 * .data page or the .bss page fails and leaves those pages' contents
 * intact; user space the image and stack do not use is all available,
 * up to and including the page at 0xFFFFF000. */
#include <syscall.h>
#include "testlib.h"

#define P PAGE_SIZE
#define WORDS 64
#define PAGE_OF(p) ((void *)((unsigned)(p) & ~(P - 1)))

extern char _end[];			/* end of .bss (the linker's) */

static unsigned data[WORDS] = { 1, 2, 3, 4, 5, 6, 7, 8 };	/* .data */
static unsigned bss[WORDS];				/* .bss */

static void pattern(volatile unsigned *w, unsigned seed)
{
	for (int i = 0; i < WORDS; i++)
		w[i] = seed + i;
}

static int has_pattern(volatile unsigned *w, unsigned seed)
{
	for (int i = 0; i < WORDS; i++)
		if (w[i] != seed + i)
			return 0;
	return 1;
}

/* The live image and stack cannot be mapped over. */
static void over_image(void)
{
	volatile unsigned stack[WORDS];
	pattern(stack, 0x5000);
	pattern(data, 0xDA7A);
	pattern(bss, 0xB55);
	unsigned esp;
	__asm__ volatile("movl %%esp, %0" : "=r"(esp));
	CHECK(new_pages(PAGE_OF(esp), P) < 0);
	CHECK(new_pages(PAGE_OF(stack), P) < 0);
	CHECK(new_pages(PAGE_OF(data), P) < 0);
	CHECK(new_pages(PAGE_OF(bss), P) < 0);
	CHECK(new_pages(PAGE_OF(_end - 1), P) < 0);
	CHECK(has_pattern(stack, 0x5000));
	CHECK(has_pattern(data, 0xDA7A));
	CHECK(has_pattern(bss, 0xB55));
}

/* A free page: it can be mapped, holds data, and goes away again. */
static int usable(unsigned addr)
{
	if (new_pages((void *)addr, P) < 0) {
		tprintf("pages_image: %#x refused\n", addr);
		return 0;
	}
	volatile unsigned *w = (unsigned *)addr;
	int ok = w[0] == 0 && w[P / 4 - 1] == 0;
	w[0] = addr;
	w[P / 4 - 1] = ~addr;
	ok &= w[0] == addr && w[P / 4 - 1] == ~addr;
	return (remove_pages((void *)addr) == 0) & ok;
}

int main(void)
{
	over_image();
	unsigned first_free = ((unsigned)_end + P - 1) & ~(P - 1);
	CHECK(usable(first_free));
	CHECK(usable(0x02000000));
	CHECK(usable(0x80000000));
	CHECK(usable(0xF0000000));
	CHECK(usable(0xFFFFF000));
	CHECK(new_pages((void *)0xFFFFF000, P) == 0);	/* and a second time */
	*(volatile unsigned *)0xFFFFFFFC = 0xFEEDF00D;
	CHECK(*(volatile unsigned *)0xFFFFFFFC == 0xFEEDF00D);
	CHECK(remove_pages((void *)0xFFFFF000) == 0);
	test_done();
}
