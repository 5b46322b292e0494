/*
 * shell.c: the Pebbles shell (docs/abi/boot.md §4). It reads a line, splits
 * it into words and runs the program named by the first word, or one of
 * its built-ins. exit and ls are always built in; the others (help, echo,
 * clear, sleep, more) only while no RAM-disk file has their name, so that
 * every program stays reachable. The utilities a newcomer looks for
 * (cat, ps, free, colors, leakcheck) are programs of their own (user/bin/), which
 * help lists; a word that names no program gets a message saying so.
 *
 * It never calls thr_init, so it uses the unlocked allocator (_malloc).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define LINE_MAX  1023			/* readline's size; more means corruption */
#define WORDS_MAX (LINE_MAX / 2 + 1)	/* "a b c ...": one word per two bytes */
#define PROBE_MAX 1000			/* no console is larger than this */
#define CHUNK     512			/* more's reads */

static const char *const seps = " \t\n";

static int rows = 25, cols = 80;	/* the console's size, probed at start */

struct builtin {
	const char *name;
	const char *usage;
	void (*run)(int argc, char **argv);
	int always;		/* even if a file has this name (exit, ls) */
};

static const struct builtin *builtins(void);

/* Find the console size: set_cursor_pos fails past the last row/column. */
static void probe_console(void)
{
	int row, col;
	if (get_cursor_pos(&row, &col) < 0)
		return;
	for (rows = 1; rows < PROBE_MAX && set_cursor_pos(rows, 0) == 0; rows++)
		continue;
	for (cols = 1; cols < PROBE_MAX && set_cursor_pos(0, cols) == 0; cols++)
		continue;
	set_cursor_pos(row, col);
}

/* One key: getchar, or readline(2, ...) where getchar is refused. */
static int get_key(void)
{
	char buf[2];
	int c = getchar();
	if (c >= 0)
		return c;
	return readline(sizeof buf, buf) > 0 ? buf[0] : -1;
}

static int file_exists(char *name)
{
	char none;
	return readfile(name, &none, 0, 0) >= 0;
}

/* The whole of file name in a _malloc'ed buffer, grown until it fits;
 * its length goes to *len. NULL if it cannot be read. */
static char *read_file(char *name, int *len)
{
	for (int size = 256; size > 0 && size <= (1 << 24); size *= 2) {
		char *buf = _malloc(size);
		if (!buf)
			return NULL;
		int n = readfile(name, buf, size, 0);
		if (n >= 0 && n < size) {
			*len = n;
			return buf;
		}
		_free(buf);
		if (n < 0)
			return NULL;
	}
	return NULL;
}

static void do_exit(int argc, char **argv)
{
	(void)argc, (void)argv;
	exit(0);
}

/* The directory listing: one name per line. */
static void do_ls(int argc, char **argv)
{
	char dot[] = ".";
	int len;
	char *list = read_file(dot, &len);
	(void)argc, (void)argv;
	if (!list) {
		printf("ls: cannot read the directory\n");
		return;
	}
	for (char *name = list; name < list + len && *name; name += strlen(name) + 1)
		printf("%s\n", name);
	_free(list);
}

/* The utility programs help tells about, when they are on the disk. */
static const struct utility {
	const char *name;
	const char *usage;
} utilities[] = {
	{ "cat",    "FILE...: print files" },
	{ "ps",     "list tasks and their threads" },
	{ "free",   "show memory: frames and kernel heap" },
	{ "colors", "show the console's colours" },
	{ "leakcheck", "PROGRAM [ARGS]: run it, check it leaves nothing" },
	{ NULL, NULL },
};

static void do_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("Type a program's name and its arguments (ls lists them all).\n");
	printf("Built in:\n");
	for (const struct builtin *b = builtins(); b->name; b++)
		printf("  %-6s %s\n", b->name, b->usage);
	printf("Programs:\n");
	for (const struct utility *u = utilities; u->name; u++)
		if (file_exists((char *)u->name))
			printf("  %-6s %s\n", u->name, u->usage);
}

static void do_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	printf("\n");
}

/* Blank every cell (a scroll on the last one is harmless), then home. */
static void do_clear(int argc, char **argv)
{
	char *blanks = _malloc(cols);
	(void)argc, (void)argv;
	if (!blanks)
		return;
	memset(blanks, ' ', cols);
	set_cursor_pos(0, 0);
	for (int r = 0; r < rows; r++)
		print(cols, blanks);
	set_cursor_pos(0, 0);
	_free(blanks);
}

static void do_sleep(int argc, char **argv)
{
	char *end;
	long ticks = argc == 2 ? strtol(argv[1], &end, 10) : -1;
	if (argc != 2 || *end || ticks < 0 || sleep((int)ticks) < 0)
		printf("usage: sleep TICKS (a tick is 10 ms)\n");
}

/* Wait for a key after a screenful; false if it was 'q'. */
static int more_prompt(void)
{
	printf("--More--");
	int key = get_key();
	printf("\r        \r");
	return key != 'q';
}

/* Print a file a screenful at a time. */
static void do_more(int argc, char **argv)
{
	char buf[CHUNK];
	int n, lines = 0;
	if (argc != 2 || !file_exists(argv[1])) {
		printf("usage: more FILE (ls lists the files)\n");
		return;
	}
	for (int off = 0; (n = readfile(argv[1], buf, sizeof buf, off)) > 0; off += n) {
		for (int i = 0; i < n; i++) {
			putchar(buf[i]);
			if (buf[i] == '\n' && ++lines == rows - 1) {
				if (!more_prompt())
					return;
				lines = 0;
			}
		}
	}
}

static const struct builtin table[] = {
	{ "exit",  "leave the shell",               do_exit,  1 },
	{ "ls",    "list the files",                do_ls,    1 },
	{ "help",  "show this",                     do_help,  0 },
	{ "echo",  "WORDS: print the words",        do_echo,  0 },
	{ "clear", "blank the screen",              do_clear, 0 },
	{ "sleep", "TICKS: wait (a tick is 10 ms)", do_sleep, 0 },
	{ "more",  "FILE: show a file page by page", do_more, 0 },
	{ NULL, NULL, NULL, 0 },
};

static const struct builtin *builtins(void)
{
	return table;
}

static const struct builtin *find_builtin(char *name)
{
	for (const struct builtin *b = table; b->name; b++)
		if (strcmp(b->name, name) == 0)
			return b->always || !file_exists(name) ? b : NULL;
	return NULL;
}

/* Run program argv[0] in a child and report how it ended. */
static void run(char **argv)
{
	int status, pid = fork();
	if (pid < 0) {
		printf("shell: cannot fork\n");
		return;
	}
	if (pid == 0) {
		exec(argv[0], argv);
		if (file_exists(argv[0]))
			printf("shell: %s: not a program this kernel can run\n", argv[0]);
		else
			printf("shell: %s: unknown command (help lists them)\n", argv[0]);
		exit(-1);
	}
	pid = wait(&status);
	if (pid < 0)
		printf("\nshell: wait failed\n");
	else
		printf("\nshell: process %d finished with exit status %d\n", pid, status);
}

/* Split line into words in argv (WORDS_MAX + 1 slots); returns argc. */
static int split(char *line, char **argv)
{
	int argc = 0;
	for (char *w = strtok(line, seps); w && argc < WORDS_MAX; w = strtok(NULL, seps))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

static void execute(char *line, char **argv)
{
	int argc = split(line, argv);
	if (argc == 0)
		return;
	const struct builtin *b = find_builtin(argv[0]);
	if (b)
		b->run(argc, argv);
	else
		run(argv);
}

int main(void)
{
	char *line = _malloc(LINE_MAX + 1);
	char **argv = _malloc((WORDS_MAX + 1) * sizeof *argv);
	if (!line || !argv)
		panic("shell: out of memory");
	probe_console();
	printf("Starting shell...\n");
	for (;;) {
		printf("[410-shell]$ ");
		int n = readline(LINE_MAX, line);
		if (n < 0 || n > LINE_MAX)
			panic("shell: readline returned %d", n);
		line[n] = 0;
		execute(line, argv);
	}
}
