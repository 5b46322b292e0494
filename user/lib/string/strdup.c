/* strdup.c: a copy of a string on the (thread-safe) heap. */
#include <malloc.h>
#include <string.h>

char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = malloc(n);
	if (copy)
		memcpy(copy, s, n);
	return copy;
}
