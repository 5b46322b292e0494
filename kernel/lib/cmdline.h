/*
 * cmdline.h: the kernel command line.
 *
 *   [kernel-path] [key=value ...] [-- program arg ...]
 *
 * QEMU -kernel passes the image's path first; GRUB does not. A first
 * token without '=' (and not "--") is taken as that path and skipped.
 * Options are key=value words; "--" ends them, and what follows is the
 * first user program and its arguments (default: init).
 * Pure code: also built natively for unit tests.
 */
#ifndef LIB_CMDLINE_H
#define LIB_CMDLINE_H

#include <stddef.h>

#define CMDLINE_MAX 1024
#define CMDLINE_MAX_WORDS 64

struct cmdline {
	char buf[CMDLINE_MAX];		/* words, NUL-separated */
	char *opt_key[CMDLINE_MAX_WORDS];
	char *opt_val[CMDLINE_MAX_WORDS];
	int nopts;
	char *argv[CMDLINE_MAX_WORDS + 1];	/* NULL-terminated */
	int argc;
};

/* Parse s into c. Returns 0, or -1 if s is too long or has too many words
 * (c then holds what fit). */
int cmdline_parse(struct cmdline *c, const char *s);
/* Value of option key, or def if absent. */
const char *cmdline_get(const struct cmdline *c, const char *key, const char *def);

#endif
