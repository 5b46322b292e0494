/*
 * cmdline.c: split the kernel command line into options and the first
 * program's argv (see cmdline.h).
 */
#include <stdbool.h>
#include "lib/cmdline.h"
#include "lib/string.h"

static bool space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n';
}

/* Split s into NUL-terminated words in c->buf; returns how many. Sets
 * *cut if a word or part of one did not fit (the words kept are whole or
 * cut short, and NUL-terminated). */
static int split(struct cmdline *c, const char *s, char **words, bool *cut)
{
	int n = 0;
	size_t len = 0;
	while (*s) {
		while (space(*s))
			s++;
		if (!*s)
			break;
		/* Another word needs a character and its NUL. */
		if (n == CMDLINE_MAX_WORDS || len >= CMDLINE_MAX - 1) {
			*cut = true;
			break;
		}
		words[n] = c->buf + len;
		while (*s && !space(*s) && len < CMDLINE_MAX - 1)
			c->buf[len++] = *s++;
		if (len == CMDLINE_MAX - 1 && *s && !space(*s))
			*cut = true;	/* the word was cut */
		c->buf[len++] = 0;
		n++;
	}
	return n;
}

int cmdline_parse(struct cmdline *c, const char *s)
{
	char *words[CMDLINE_MAX_WORDS];
	memset(c, 0, sizeof *c);
	bool cut = false;
	int n = split(c, s, words, &cut);
	int i = 0;
	if (n > 0 && !strchr(words[0], '=') && strcmp(words[0], "--") != 0)
		i = 1;		/* the kernel's own path */
	for (; i < n && strcmp(words[i], "--") != 0; i++) {
		char *eq = strchr(words[i], '=');
		c->opt_key[c->nopts] = words[i];
		c->opt_val[c->nopts] = eq ? eq + 1 : words[i] + strlen(words[i]);
		if (eq)
			*eq = 0;
		c->nopts++;
	}
	for (i++; i < n; i++)
		c->argv[c->argc++] = words[i];
	c->argv[c->argc] = NULL;
	return cut ? -1 : 0;
}

const char *cmdline_get(const struct cmdline *c, const char *key, const char *def)
{
	for (int i = 0; i < c->nopts; i++)
		if (strcmp(c->opt_key[i], key) == 0)
			return c->opt_val[i];
	return def;
}
