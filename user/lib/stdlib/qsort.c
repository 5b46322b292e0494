/*
 * qsort.c: sorting, by heapsort: O(n log n) comparisons even on hostile
 * input, no recursion, no extra memory. Not stable (C's qsort need not be).
 */
#include <stddef.h>
#include <stdlib.h>

typedef int (*cmp_t)(char *, char *);

static void swap(char *a, char *b, size_t es)
{
	while (es--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Move element root down until it is no smaller than its children,
 * within the heap a[0..n). */
static void sift_down(char *a, size_t root, size_t n, size_t es, cmp_t cmp)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && cmp(a + child * es, a + (child + 1) * es) < 0)
			child++;
		if (cmp(a + root * es, a + child * es) >= 0)
			return;
		swap(a + root * es, a + child * es, es);
		root = child;
	}
}

void qsort(void *a, size_t n, size_t es, int (*cmp)(char *, char *))
{
	char *base = a;
	if (n < 2 || es == 0)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(base, i, n, es, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap(base, base + end * es, es);	/* the largest goes last */
		sift_down(base, 0, end, es, cmp);
	}
}
