/* readfile_calls.c: the RAM disk through readfile. "." lists every other
 * file once, each name followed by a NUL, in ascending byte order, then
 * one more NUL, and not "." itself; a growing buffer reads the listing
 * whole. A program read in 87-byte chunks until readfile returns 0 is
 * the same bytes as one read; offset == size gives 0. Refused: a
 * missing, empty, unreadable or over-long name, count < 0, offset < 0
 * or > size, and a buffer not writable for count bytes. */
#include <stddef.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define ME "readfile_calls"
#define BUF 0x40000000u		/* room for the listing and a program */
#define BUF_LEN (64 * PAGE_SIZE)
#define CHUNK 87
#define EDGE 0x50000000u	/* one mapped page, for half-mapped pointers */

int main(void);

static char *const buf = (char *)BUF;
static char *const copy = (char *)(BUF + BUF_LEN / 2);

/* Is the listing well formed: names, each with its NUL, then exactly
 * one more NUL? Counts the names and looks for our own. */
static int listing_ok(const char *l, int len, int *names, int *has_me)
{
	const char *prev = NULL, *p = l;
	*names = 0, *has_me = 0;
	for (; p < l + len - 1; p += strlen(p) + 1) {
		if (*p == '\0' || strcmp(p, ".") == 0)
			return 0;	/* an empty name before the end, or "." */
		if (prev && strcmp(prev, p) >= 0)
			return 0;	/* not strictly ascending */
		*has_me |= strcmp(p, ME) == 0;
		prev = p;
		++*names;
	}
	return len >= 1 && p == l + len - 1 && *p == '\0';
}

/* Read "." into buffers of 1, 2, 4, ... bytes until it fits. */
static int growing_read(void)
{
	int size = 1, n;
	while ((n = readfile(".", copy, size, 0)) == size && size < BUF_LEN / 2)
		size *= 2;
	return n;
}

static void listing(void)
{
	int n = readfile(".", buf, BUF_LEN / 2, 0), names = 0, has_me = 0;
	CHECK(n > 0 && n < BUF_LEN / 2);
	CHECK(listing_ok(buf, n, &names, &has_me));
	CHECK(has_me && names >= 4);	/* init, idle, shell and us at least */
	tprintf("readfile_calls: listing of %d bytes, %d names\n", n, names);
	CHECK(growing_read() == n && memcmp(buf, copy, n) == 0);
}

/* Read a file 87 bytes at a time into copy; returns the total. */
static int chunked(const char *name)
{
	int total = 0, n;
	while ((n = readfile((char *)name, copy + total, CHUNK, total)) > 0)
		total += n;
	CHECK(n == 0);
	return total;
}

static int whole_program(void)
{
	int size = readfile(ME, buf, BUF_LEN / 2, 0);
	CHECK(size > 4 && size < BUF_LEN / 2);
	CHECK(memcmp(buf, "\177ELF", 4) == 0);
	CHECK(chunked(ME) == size && memcmp(buf, copy, size) == 0);
	CHECK(readfile(ME, copy, 10, size) == 0);
	CHECK(readfile(ME, copy, 10, size - 3) == 3);
	CHECK(readfile(ME, copy, 0, 0) == 0);
	CHECK(readfile(ME, copy, 8, 1) == 8 && memcmp(copy, buf + 1, 8) == 0);
	return size;
}

static void bad_names(void)
{
	char long_name[300];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	CHECK(readfile("no_such_file", copy, 10, 0) < 0);
	CHECK(readfile("", copy, 10, 0) < 0);
	CHECK(readfile(long_name, copy, 10, 0) < 0);
	CHECK(readfile(NULL, copy, 10, 0) < 0);
	CHECK(readfile((char *)0x500000, copy, 10, 0) < 0);
	CHECK(readfile((char *)0x00FFFFFF, copy, 10, 0) < 0);
	CHECK(new_pages((void *)EDGE, PAGE_SIZE) == 0);
	char *edge = (char *)EDGE + PAGE_SIZE - 4;
	memcpy(edge, "init", 4);			/* no NUL before the end */
	CHECK(readfile(edge, copy, 10, 0) < 0);
	CHECK(remove_pages((void *)EDGE) == 0);
}

static void bad_numbers(int size)
{
	CHECK(readfile(ME, copy, -1, 0) < 0);
	CHECK(readfile(ME, copy, (int)0x80000000, 0) < 0);
	CHECK(readfile(ME, copy, 10, -1) < 0);
	CHECK(readfile(ME, copy, 10, size + 1) < 0);
	CHECK(readfile(ME, copy, 0, size + 1) < 0);
	CHECK(readfile(".", copy, 10, -5) < 0);
}

static void bad_buffers(int size)
{
	CHECK(readfile(ME, (char *)main, 10, 0) < 0);	/* read-only text */
	CHECK(readfile(ME, NULL, 10, 0) < 0);
	CHECK(readfile(ME, (char *)0x500000, 10, 0) < 0);
	CHECK(readfile(ME, (char *)0x00FFFFF0, 32, 0) < 0);
	CHECK(readfile(ME, (char *)0xDEAD0000, 10, 0) < 0);
	CHECK(new_pages((void *)EDGE, PAGE_SIZE) == 0);
	char *edge = (char *)EDGE + PAGE_SIZE - 8;
	CHECK(readfile(ME, edge, 16, 0) < 0);
	CHECK(readfile(ME, edge, 16, size - 4) < 0);	/* count, not what is left */
	CHECK(readfile(ME, edge, 8, 0) == 8);
	CHECK(remove_pages((void *)EDGE) == 0);
}

int main(void)
{
	CHECK(new_pages((void *)BUF, BUF_LEN) == 0);
	listing();
	int size = whole_program();
	bad_names();
	bad_numbers(size);
	bad_buffers(size);
	CHECK(remove_pages((void *)BUF) == 0);
	test_done();
}
