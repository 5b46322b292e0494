/*
 * test_cmdline.c: the kernel command line parser (kernel/lib/cmdline.c):
 * the kernel path, options, "--" and the first program's argv, and lines
 * too long or with too many words.
 */
#include <stdio.h>
#include <string.h>
#include "kernel/lib/cmdline.c"

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

static struct cmdline c;

static bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static void test_qemu_style(void)
{
	CHECK(cmdline_parse(&c, "build/fable.elf ktest=boot panic=poweroff") == 0);
	CHECK(c.nopts == 2 && c.argc == 0 && c.argv[0] == NULL);
	CHECK(streq(cmdline_get(&c, "ktest", NULL), "boot"));
	CHECK(streq(cmdline_get(&c, "panic", "halt"), "poweroff"));
	CHECK(streq(cmdline_get(&c, "loglevel", "2"), "2"));	/* default */
	CHECK(cmdline_get(&c, "build/fable.elf", NULL) == NULL);	/* the path is no option */
}

static void test_grub_style(void)
{
	/* No path: the first word already is an option. */
	CHECK(cmdline_parse(&c, "loglevel=3 -- shell -x  a") == 0);
	CHECK(c.nopts == 1 && streq(cmdline_get(&c, "loglevel", NULL), "3"));
	CHECK(c.argc == 3 && streq(c.argv[0], "shell") && streq(c.argv[1], "-x"));
	CHECK(streq(c.argv[2], "a") && c.argv[3] == NULL);
}

static void test_odd_words(void)
{
	CHECK(cmdline_parse(&c, "k quiet a==b empty= =v x=1 x=2") == 0);
	CHECK(streq(cmdline_get(&c, "quiet", NULL), ""));	/* flag: empty value */
	CHECK(streq(cmdline_get(&c, "a", NULL), "=b"));		/* split at the first '=' */
	CHECK(streq(cmdline_get(&c, "empty", NULL), ""));
	CHECK(streq(cmdline_get(&c, "", NULL), "v"));
	CHECK(streq(cmdline_get(&c, "x", NULL), "1"));		/* the first one wins */
	CHECK(cmdline_parse(&c, "") == 0 && c.nopts == 0 && c.argc == 0);
	CHECK(cmdline_parse(&c, " \t\n ") == 0 && c.nopts == 0 && c.argc == 0);
	CHECK(cmdline_parse(&c, "--") == 0 && c.nopts == 0 && c.argc == 0);
	CHECK(cmdline_parse(&c, "k -- init -- x") == 0);
	CHECK(c.argc == 3 && streq(c.argv[1], "--"));		/* only the first "--" ends options */
	CHECK(cmdline_parse(&c, "\tk\ta=1\n--\ninit") == 0);
	CHECK(streq(cmdline_get(&c, "a", NULL), "1") && c.argc == 1 && streq(c.argv[0], "init"));
}

/* A line of count words "wN", starting with the path word "k". */
static void words_line(char *buf, int count)
{
	int len = sprintf(buf, "k");
	for (int i = 1; i < count; i++)
		len += sprintf(buf + len, " w%d=", i);
}

static void test_too_many_words(void)
{
	static char line[4096];
	words_line(line, CMDLINE_MAX_WORDS);
	CHECK(cmdline_parse(&c, line) == 0 && c.nopts == CMDLINE_MAX_WORDS - 1);
	words_line(line, CMDLINE_MAX_WORDS + 1);
	CHECK(cmdline_parse(&c, line) == -1);
	CHECK(c.nopts == CMDLINE_MAX_WORDS - 1);		/* what fit */
	CHECK(cmdline_get(&c, "w63", NULL) != NULL && cmdline_get(&c, "w64", NULL) == NULL);
	/* Words after "--" count too; argv stays NULL-terminated. */
	strcpy(line, "--");
	for (int i = 0; i < CMDLINE_MAX_WORDS + 5; i++)
		strcat(line, " a");
	CHECK(cmdline_parse(&c, line) == -1);
	CHECK(c.argc == CMDLINE_MAX_WORDS - 1 && c.argv[c.argc] == NULL);
}

static void test_too_long(void)
{
	static char line[2 * CMDLINE_MAX];
	/* Exactly full: words and their NULs fill the buffer. */
	memset(line, 'a', CMDLINE_MAX - 1);
	line[CMDLINE_MAX - 1] = 0;
	CHECK(cmdline_parse(&c, line) == 0);
	line[0] = 'k', line[1] = ' ';		/* "k aaa...": two words, one byte longer */
	CHECK(cmdline_parse(&c, line) == 0);
	/* One byte too long: the last word is cut and the parse fails. */
	memcpy(line, "k x=", 4);
	memset(line + 4, 'v', CMDLINE_MAX);
	line[4 + CMDLINE_MAX] = 0;
	CHECK(cmdline_parse(&c, line) == -1);
	const char *v = cmdline_get(&c, "x", NULL);
	CHECK(v && strlen(v) == CMDLINE_MAX - 5);	/* the 1024 bytes hold "k\0x=vvv...\0" */
	/* The buffer fills exactly at a word's end, and more words follow. */
	memset(line, 0, sizeof line);
	memcpy(line, "k y=", 4);
	memset(line + 4, 'v', CMDLINE_MAX - 6);		/* "k\0y=vvv\0" is 1023 bytes */
	strcat(line, " z=1");
	CHECK(cmdline_parse(&c, line) == -1);		/* z=1 did not fit: not silent */
	CHECK(cmdline_get(&c, "y", NULL) != NULL && cmdline_get(&c, "z", NULL) == NULL);
}

int main(void)
{
	test_qemu_style();
	test_grub_style();
	test_odd_words();
	test_too_many_words();
	test_too_long();
	if (failures)
		printf("test_cmdline: %d failure(s)\n", failures);
	return failures != 0;
}
