/*
 * shell.c: the Pebbles shell (docs/abi/boot.md §4). It reads a line, splits
 * it into words and runs the program named by the first word, or one of
 * its built-ins. exit, cd and pwd are always built in; the others (help,
 * echo, clear, sleep, more) only while no RAM-disk file has their name, so
 * that every program stays reachable. The utilities a newcomer looks for
 * (ls, cat, ps, free, colors, leakcheck) are programs of their own
 * (user/bin/), which help lists; a word that names no program gets a
 * message saying so.
 *
 * A program's name is looked for in /bin, then in the RAM disk (see
 * exec_searched); a name with a '/' is a path.
 *
 * A line may redirect (`< in`, `> out`, `>> out`) and be a pipeline of
 * several commands joined by `|` (docs/userlib.md): each command runs in
 * a child of its own, with its standard input and output (descriptors 0
 * and 1, which print and readline use) moved with dup2 before exec.
 *
 * It never calls thr_init, so it uses the unlocked allocator (_malloc).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>

#define LINE_MAX  1023			/* readline's size; more means corruption */
#define WORDS_MAX (LINE_MAX / 2 + 1)	/* "a b c ...": one word per two bytes */
#define PROBE_MAX 1000			/* no console is larger than this */
#define CHUNK     512			/* more's reads */
#define STAGES_MAX 16			/* commands in one pipeline */
#define SAVED_IN  (FS_FD_MAX - 2)	/* where a built-in's caller's 0 and 1 wait */
#define SAVED_OUT (FS_FD_MAX - 1)

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

static void do_exit(int argc, char **argv)
{
	(void)argc, (void)argv;
	exit(0);
}

static void do_cd(int argc, char **argv)
{
	int err = chdir(argc > 1 ? argv[1] : "/");
	if (argc > 2)
		printf("usage: cd [DIRECTORY]\n");
	else if (err < 0)
		printf("cd: %s: cannot go there (error %d)\n", argc > 1 ? argv[1] : "/", err);
}

static void do_pwd(int argc, char **argv)
{
	char path[FS_PATH_MAX];
	(void)argc, (void)argv;
	if (getcwd(path, sizeof path) >= 0)
		printf("%s\n", path);
}

/* The utility programs help tells about, when they are on the disk. */
static const struct utility {
	const char *name;
	const char *usage;
} utilities[] = {
	{ "ls",     "[-l] [PATH...]: list files and directories" },
	{ "cat",    "FILE...: print files" },
	{ "ed",     "FILE: edit a file a line at a time" },
	{ "cp",     "FROM TO: copy a file (also mv, rm, ln, mkdir, rmdir, touch)" },
	{ "wc",     "[FILE...]: count lines, words, bytes (also head, grep, hexdump)" },
	{ "df",     "show the mounted file systems" },
	{ "ps",     "list tasks and their threads" },
	{ "free",   "show memory: frames and kernel heap" },
	{ "cpus",   "show each CPU's idle time, switches, IPIs, shootdowns" },
	{ "colors", "show the console's colours" },
	{ "leakcheck", "PROGRAM [ARGS]: run it, check it leaves nothing" },
	{ "halt",   "stop the machine (the disk is written back first)" },
	{ NULL, NULL },
};

static void do_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("Type a program's name and its arguments (ls lists them all).\n");
	printf("Redirect with < > >>, join commands with | ; /tmp is writable.\n");
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
	{ "cd",    "[DIR]: change directory",       do_cd,    1 },
	{ "pwd",   "print the current directory",   do_pwd,   1 },
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

/* One command of a pipeline: its words and redirections. */
struct stage {
	char **argv;
	int argc;
	char *in, *out;		/* file names, or NULL */
	int append;		/* >> rather than > */
};

/* Open the files st redirects to and move them onto 0 and 1; 0, or -1
 * (with a message). */
static int redirect(struct stage *st)
{
	if (st->in) {
		int fd = open(st->in, O_RDONLY, 0);
		if (fd < 0) {
			printf("shell: %s: cannot read (error %d)\n", st->in, fd);
			return -1;
		}
		dup2(fd, 0);
		close(fd);
	}
	if (st->out) {
		int flags = O_WRONLY | O_CREAT | (st->append ? O_APPEND : O_TRUNC);
		int fd = open(st->out, flags, 0644);
		if (fd < 0) {
			printf("shell: %s: cannot write (error %d)\n", st->out, fd);
			return -1;
		}
		dup2(fd, 1);
		close(fd);
	}
	return 0;
}

/* Run the program argv[0] names. A name without a '/' is looked for
 * along the search path: /bin (the disk's programs, when a disk is
 * mounted), then the RAM disk (exec's own rule for a bare name). Returns
 * only if nothing could be run. */
static void exec_searched(char **argv)
{
	static const char *const search[] = { "/bin/", NULL };
	char path[FS_PATH_MAX];
	fable_stat_t st;
	for (int i = 0; search[i] && !strchr(argv[0], '/'); i++) {
		if (snprintf(path, sizeof path, "%s%s", search[i], argv[0]) >= (int)sizeof path)
			continue;
		if (stat(path, &st) == 0 && st.type == FT_FILE)
			exec(path, argv);
	}
	exec(argv[0], argv);
}

/* In a child: become stage st, reading from in and writing to out. */
static void child(struct stage *st, int in, int out)
{
	if (in != 0)
		dup2(in, 0);
	if (out != 1)
		dup2(out, 1);
	for (int fd = 3; fd < FS_FD_MAX; fd++)
		close(fd);
	if (redirect(st) < 0)
		exit(-1);
	const struct builtin *b = find_builtin(st->argv[0]);
	if (b) {
		b->run(st->argc, st->argv);
		exit(0);
	}
	exec_searched(st->argv);
	if (file_exists(st->argv[0]))
		printf("shell: %s: not a program this kernel can run\n", st->argv[0]);
	else
		printf("shell: %s: unknown command (help lists them)\n", st->argv[0]);
	exit(-1);
}

/* Run the n stages, each in a child, joined by pipes; wait for all and
 * report how the last ended. */
static void run(struct stage *stages, int n)
{
	int in = 0, pids[STAGES_MAX], started = 0;
	for (int i = 0; i < n; i++) {
		int p[2] = { 0, 1 };
		if (i + 1 < n && pipe(p) < 0) {
			printf("shell: cannot make a pipe\n");
			break;
		}
		int pid = fork();
		if (pid == 0)
			child(&stages[i], in, i + 1 < n ? p[1] : 1);
		if (in != 0)
			close(in);
		if (i + 1 < n)
			close(p[1]);
		in = i + 1 < n ? p[0] : 0;
		if (pid < 0) {
			printf("shell: cannot fork\n");
			break;
		}
		pids[started++] = pid;
	}
	if (in != 0)
		close(in);
	for (int left = started; left > 0; left--) {
		int status, pid = wait(&status);
		if (pid < 0) {
			printf("\nshell: wait failed\n");
			return;
		}
		if (pid == pids[started - 1] && started == n)
			printf("\nshell: process %d finished with exit status %d\n", pid, status);
	}
}

/* A built-in alone runs in the shell itself (cd must), its redirections
 * made and undone around it. */
static void run_builtin(const struct builtin *b, struct stage *st)
{
	dup2(0, SAVED_IN);
	dup2(1, SAVED_OUT);
	if (redirect(st) == 0)
		b->run(st->argc, st->argv);
	dup2(SAVED_IN, 0);
	dup2(SAVED_OUT, 1);
	close(SAVED_IN);
	close(SAVED_OUT);
}

/* Split line into words in argv (WORDS_MAX + 1 slots), the operators
 * | < > >> being words of their own even when written against others;
 * returns the number of words. Operators are marked by ops[i]. */
static int split(char *line, char **argv, char *ops)
{
	static char opwords[][3] = { "|", "<", ">", ">>" };
	int argc = 0;
	char *p = line;
	while (argc < WORDS_MAX) {
		while (*p && strchr(seps, *p))
			*p++ = 0;
		if (!*p)
			break;
		int op = *p == '|' ? 0 : *p == '<' ? 1 : *p == '>' ? (p[1] == '>' ? 3 : 2) : -1;
		ops[argc] = op >= 0;
		if (op >= 0) {
			argv[argc++] = opwords[op];
			*p = 0;
			p += op == 3 ? 2 : 1;
			continue;
		}
		argv[argc++] = p;
		while (*p && !strchr(seps, *p) && *p != '|' && *p != '<' && *p != '>')
			p++;
		if (*p && !strchr(seps, *p)) {
			/* an operator right after the word: end the word there */
			char c = *p;
			*p = 0;
			int op2 = c == '|' ? 0 : c == '<' ? 1 : (p[1] == '>' ? 3 : 2);
			if (argc < WORDS_MAX) {
				ops[argc] = 1;
				argv[argc++] = opwords[op2];
			}
			p += op2 == 3 ? 2 : 1;
		}
	}
	argv[argc] = NULL;
	return argc;
}

/* Cut the words into stages; the number of stages, or -1 (with a
 * message) if the line is not well formed. */
static int parse(char **argv, const char *ops, int argc, struct stage *stages)
{
	int n = 0;
	struct stage *st = NULL;
	for (int i = 0; i <= argc; i++) {
		if (i == argc || (ops[i] && argv[i][0] == '|')) {
			if (!st || st->argc == 0 || n > STAGES_MAX)
				goto bad;
			st->argv[st->argc] = NULL;	/* over the operator or the end */
			st = NULL;
			if (i == argc)
				return n;
			continue;
		}
		if (!st) {
			if (n == STAGES_MAX)
				goto bad;
			st = &stages[n++];
			*st = (struct stage){ .argv = &argv[i] };
		}
		if (ops[i]) {
			if (i + 1 == argc || ops[i + 1])
				goto bad;
			if (argv[i][0] == '<')
				st->in = argv[i + 1];
			else
				st->out = argv[i + 1], st->append = argv[i][1] == '>';
			argv[i] = NULL;
			i++;
			continue;
		}
		if (st->argv + st->argc != &argv[i])
			st->argv[st->argc] = argv[i];	/* close the gap a redirection left */
		st->argc++;
	}
bad:
	printf("shell: syntax error (a command, then < > >> FILE, joined by |)\n");
	return -1;
}

static void execute(char *line, char **argv)
{
	static char ops[WORDS_MAX + 1];
	static struct stage stages[STAGES_MAX];
	int argc = split(line, argv, ops);
	if (argc == 0)
		return;
	int n = parse(argv, ops, argc, stages);
	if (n < 0)
		return;
	const struct builtin *b = n == 1 ? find_builtin(stages[0].argv[0]) : NULL;
	if (b)
		run_builtin(b, &stages[0]);
	else
		run(stages, n);
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
