/*
 * mem.c: memory routines. gcc may emit calls to memcpy, memset, memmove
 * and memcmp on its own, so these are real functions (and the library is
 * built with -fno-tree-loop-distribute-patterns, so that gcc does not turn
 * their loops back into calls to themselves). Aligned blocks move a word
 * at a time.
 */
#include <stdint.h>
#include <string.h>

#define WORD sizeof(uint32_t)

static int aligned(const void *a, const void *b, unsigned int n)
{
	return (((uintptr_t)a | (uintptr_t)b | n) & (WORD - 1)) == 0;
}

void *memset(void *to, int ch, unsigned int n)
{
	unsigned char *d = to;
	if (aligned(to, to, n)) {
		uint32_t v = (unsigned char)ch * 0x01010101u;
		for (; n; n -= WORD, d += WORD)
			*(uint32_t *)(void *)d = v;
	}
	while (n--)
		*d++ = (unsigned char)ch;
	return to;
}

/* Forward copy; the caller knows that it is safe for overlap. */
static void copy_up(unsigned char *d, const unsigned char *s, unsigned int n)
{
	if (aligned(d, s, n)) {
		for (; n; n -= WORD, d += WORD, s += WORD)
			*(uint32_t *)(void *)d = *(const uint32_t *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
}

void *memcpy(void *to, const void *from, unsigned int n)
{
	copy_up(to, from, n);
	return to;
}

void *memmove(void *to, const void *from, unsigned int n)
{
	unsigned char *d = to;
	const unsigned char *s = from;
	if (d <= s || d >= s + n) {
		copy_up(d, s, n);
		return to;
	}
	while (n--)		/* dst overlaps the end of src: copy down */
		d[n] = s[n];
	return to;
}

int memcmp(const void *s1v, const void *s2v, int size)
{
	const unsigned char *a = s1v, *b = s2v;
	for (int i = 0; i < size; i++)
		if (a[i] != b[i])
			return a[i] - b[i];
	return 0;
}

void bcopy(const void *from, void *to, unsigned int n)
{
	memmove(to, from, n);
}

void bzero(void *to, unsigned int n)
{
	memset(to, 0, n);
}
