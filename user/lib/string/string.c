/*
 * string.c: the str* routines; strlen, strcmp, strncmp and strchr are the
 * kernel's too (lib/str.c). Comparisons treat bytes as unsigned, so that
 * the order is the byte order (as in the RAM-disk listing).
 */
#include <stddef.h>
#include <string.h>

char *strcpy(char *dest, const char *src)
{
	char *d = dest;
	while ((*d++ = *src++))
		continue;
	return dest;
}

/* Copies at most n bytes and pads with NULs to n; like C's, it leaves
 * dest unterminated when src has n bytes or more. */
char *strncpy(char *dest, const char *src, size_t n)
{
	size_t i = 0;
	for (; i < n && src[i]; i++)
		dest[i] = src[i];
	for (; i < n; i++)
		dest[i] = 0;
	return dest;
}

char *strcat(char *dest, const char *src)
{
	strcpy(dest + strlen(dest), src);
	return dest;
}

/* Appends at most n bytes of src, then always a NUL. */
char *strncat(char *dest, const char *src, size_t n)
{
	char *d = dest + strlen(dest);
	while (n-- && *src)
		*d++ = *src++;
	*d = 0;
	return dest;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *index(const char *s, int c)
{
	return strchr(s, c);
}

char *rindex(const char *s, int c)
{
	return strrchr(s, c);
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);
	for (; *haystack; haystack++)
		if (strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	return *needle ? NULL : (char *)haystack;
}

size_t strspn(const char *s1, const char *s2)
{
	size_t n = 0;
	while (s1[n] && strchr(s2, s1[n]))
		n++;
	return n;
}

size_t strcspn(const char *s1, const char *s2)
{
	size_t n = 0;
	while (s1[n] && !strchr(s2, s1[n]))
		n++;
	return n;
}

char *strpbrk(const char *s1, const char *s2)
{
	s1 += strcspn(s1, s2);
	return *s1 ? (char *)s1 : NULL;
}

/* Not reentrant: one tokenisation at a time, as in C. */
char *strtok(char *s, const char *delim)
{
	static char *next;	/* [not thread-safe, as specified] */
	if (!s)
		s = next;
	if (!s)
		return NULL;
	s += strspn(s, delim);
	if (!*s) {
		next = NULL;
		return NULL;
	}
	char *end = s + strcspn(s, delim);
	next = *end ? end + 1 : NULL;
	*end = 0;
	return s;
}
