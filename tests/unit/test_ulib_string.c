/*
 * test_ulib_string.c: the user string library (user/lib/string, and
 * lib/str.c, which the kernel shares) against the host's, on fixed cases
 * and on random buffers of every small length and alignment.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define memset u_memset
#define memcpy u_memcpy
#define memmove u_memmove
#define memcmp u_memcmp
#define bcopy u_bcopy
#define bzero u_bzero
#define strlen u_strlen
#define strcpy u_strcpy
#define strncpy u_strncpy
#define strcat u_strcat
#define strncat u_strncat
#define strcmp u_strcmp
#define strncmp u_strncmp
#define strchr u_strchr
#define strrchr u_strrchr
#define index u_index
#define rindex u_rindex
#define strstr u_strstr
#define strspn u_strspn
#define strcspn u_strcspn
#define strpbrk u_strpbrk
#define strtok u_strtok
#include "user/lib/string/mem.c"
#include "lib/str.c"
#include "user/lib/string/string.c"
#undef memset
#undef memcpy
#undef memmove
#undef memcmp
#undef bcopy
#undef bzero
#undef strlen
#undef strcpy
#undef strncpy
#undef strcat
#undef strncat
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef index
#undef rindex
#undef strstr
#undef strspn
#undef strcspn
#undef strpbrk
#undef strtok

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

#define BUF 96

/* memcpy, memmove (both directions), memset and memcmp at every small
 * length and alignment, compared with the host's on copies. */
static void test_mem_random(void)
{
	unsigned char src[BUF], a[BUF], b[BUF];
	for (int i = 0; i < BUF; i++)
		src[i] = (unsigned char)rand();
	for (int off = 0; off < 8; off++) {
		for (int len = 0; len + off + 8 <= BUF; len++) {
			memcpy(a, src, BUF);
			memcpy(b, src, BUF);
			u_memcpy(a + off, src + 3, len);
			memcpy(b + off, src + 3, len);
			CHECK(memcmp(a, b, BUF) == 0);
			u_memmove(a + off, a + off + 5, len);
			memmove(b + off, b + off + 5, len);
			CHECK(memcmp(a, b, BUF) == 0);
			u_memmove(a + off + 7, a + off, len);
			memmove(b + off + 7, b + off, len);
			CHECK(memcmp(a, b, BUF) == 0);
			u_memset(a + off, 0xa5, len);
			memset(b + off, 0xa5, len);
			CHECK(memcmp(a, b, BUF) == 0);
			CHECK(sign(u_memcmp(src, src + off, len)) == sign(memcmp(src, src + off, len)));
		}
	}
	CHECK(u_memcmp("abc", "abd", 3) < 0 && u_memcmp("abd", "abc", 3) > 0);
	CHECK(u_memcmp("\x80", "\x01", 1) > 0);	/* bytes are unsigned */
	CHECK(u_memcmp("abc", "xyz", 0) == 0 && u_memcmp("abc", "xyz", -5) == 0);
	memcpy(a, "hello", 6);
	u_bcopy(a, a + 1, 5);
	CHECK(memcmp(a, "hhello", 6) == 0);
	u_bzero(a, 3);
	CHECK(a[0] == 0 && a[2] == 0 && a[3] == 'l');
}

static void test_compare(void)
{
	static const char *const words[] = { "", "a", "ab", "abc", "abd", "b", "\x80", "A" };
	const int n = sizeof words / sizeof words[0];
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			CHECK(sign(u_strcmp(words[i], words[j])) == sign(strcmp(words[i], words[j])));
			for (size_t k = 0; k < 4; k++)
				CHECK(sign(u_strncmp(words[i], words[j], k)) ==
				      sign(strncmp(words[i], words[j], k)));
		}
		CHECK(u_strlen(words[i]) == strlen(words[i]));
	}
}

static void test_copy(void)
{
	char a[16], b[16];
	memset(a, 'z', sizeof a);
	memset(b, 'z', sizeof b);
	CHECK(u_strcpy(a, "hi") == a && strcmp(a, "hi") == 0);
	CHECK(u_strcat(a, " there") == a && strcmp(a, "hi there") == 0);
	memset(a, 'z', sizeof a);
	u_strncpy(a, "abc", 6);
	strncpy(b, "abc", 6);
	CHECK(memcmp(a, b, sizeof a) == 0);	/* padded with NULs to 6 */
	u_strncpy(a, "abcdefgh", 4);
	CHECK(memcmp(a, "abcd\0\0zzz", 9) == 0);	/* no NUL added */
	strcpy(a, "ab");
	strcpy(b, "ab");
	CHECK(strcmp(u_strncat(a, "cdef", 2), strncat(b, "cdef", 2)) == 0);
	CHECK(strcmp(u_strncat(a, "xy", 9), strncat(b, "xy", 9)) == 0);
}

static void test_search(void)
{
	const char *s = "hello, world";
	CHECK(u_strchr(s, 'o') == strchr(s, 'o'));
	CHECK(u_strchr(s, 'q') == NULL);
	CHECK(u_strchr(s, 0) == s + strlen(s));
	CHECK(u_strrchr(s, 'o') == strrchr(s, 'o'));
	CHECK(u_strrchr(s, 0) == s + strlen(s));
	CHECK(u_strrchr(s, 'q') == NULL);
	CHECK(u_index(s, 'l') == s + 2 && u_rindex(s, 'l') == s + 10);
	CHECK(u_strstr(s, "wor") == strstr(s, "wor"));
	CHECK(u_strstr(s, "") == s && u_strstr("", "") != NULL);
	CHECK(u_strstr(s, "worlds") == NULL && u_strstr("", "a") == NULL);
	CHECK(u_strstr("aaab", "aab") == strstr("aaab", "aab"));
	CHECK(u_strspn(s, "leh") == strspn(s, "leh"));
	CHECK(u_strcspn(s, ", ") == strcspn(s, ", "));
	CHECK(u_strcspn(s, "") == strlen(s) && u_strspn(s, "") == 0);
	CHECK(u_strpbrk(s, "wr") == strpbrk(s, "wr"));
	CHECK(u_strpbrk(s, "XYZ") == NULL);
}

static void test_strtok(void)
{
	char a[] = "  one two,,three  ";
	char b[] = "  one two,,three  ";
	const char *delim = " ,";
	char *x = u_strtok(a, delim), *y = strtok(b, delim);
	for (int i = 0; i < 5; i++) {
		CHECK((x == NULL) == (y == NULL));
		if (!x || !y)
			break;
		CHECK(x - a == y - b && strcmp(x, y) == 0);
		x = u_strtok(NULL, delim);
		y = strtok(NULL, delim);
	}
	CHECK(u_strtok(NULL, delim) == NULL);
	char c[] = ",,,";
	CHECK(u_strtok(c, ",") == NULL);
}

int main(void)
{
	srand(1);
	test_mem_random();
	test_compare();
	test_copy();
	test_search();
	test_strtok();
	if (failures)
		printf("test_ulib_string: %d failure(s)\n", failures);
	return failures != 0;
}
