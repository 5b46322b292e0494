/*
 * ed.c: a small line editor, so that a file can be written from the
 * shell.   ed [FILE]
 *
 * It reads commands from the standard input, one a line:
 *   a        append lines after the last, until a line holding only "."
 *   i N      insert lines before line N, until "."
 *   d N      delete line N
 *   p        print every line;  n  the same, numbered
 *   w [FILE] write the lines to FILE (or to the file named before) and
 *            print the number of bytes written
 *   q        quit
 * A command it does not understand prints "?". It loads FILE if it
 * exists. Lines are at most LINE_MAX bytes, and there are at most
 * LINES_MAX of them.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>

#define LINE_MAX 1024
#define LINES_MAX 2000

static char *lines[LINES_MAX];
static int nlines;
static char name[FS_PATH_MAX];

/* Put a copy of s (len bytes, without its '\n') before line at. */
static int insert(int at, const char *s, int len)
{
	char *copy = malloc(len + 1);
	if (!copy || nlines == LINES_MAX) {
		free(copy);
		return -1;
	}
	memcpy(copy, s, len);
	copy[len] = 0;
	memmove(&lines[at + 1], &lines[at], (nlines - at) * sizeof lines[0]);
	lines[at] = copy;
	nlines++;
	return 0;
}

/* Read the file's lines in; its size, or negative. */
static int load(const char *path)
{
	static char buf[LINE_MAX];
	int fd = open(path, O_RDONLY, 0), n, len = 0, size = 0;
	if (fd < 0)
		return fd;
	while ((n = read(fd, buf + len, 1)) == 1) {
		size++;
		if (buf[len] == '\n' || ++len == LINE_MAX - 1) {
			insert(nlines, buf, len);
			len = 0;
		}
	}
	if (len)
		insert(nlines, buf, len);
	close(fd);
	return size;
}

static int save(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), size = 0;
	if (fd < 0)
		return fd;
	for (int i = 0; i < nlines; i++) {
		int len = strlen(lines[i]);
		if (write(fd, lines[i], len) != len || write(fd, "\n", 1) != 1) {
			close(fd);
			return -EIO;
		}
		size += len + 1;
	}
	return close(fd) < 0 ? -EIO : size;
}

/* Read lines into the buffer before line at until ".". */
static void input(int at)
{
	static char buf[LINE_MAX];
	int n;
	while ((n = readline(sizeof buf - 1, buf)) > 0) {
		if (buf[n - 1] == '\n')
			n--;
		if (n == 1 && buf[0] == '.')
			return;
		if (insert(at++, buf, n) < 0) {
			printf("?\n");
			return;
		}
	}
}

/* The line number after command letter c, checked against max. */
static int number(const char *arg, int max)
{
	int n = atoi(arg);
	return n >= 1 && n <= max ? n : -1;
}

/* Do one command; 0 to go on, 1 to quit. */
static int command(char *cmd)
{
	char *arg = cmd + 1;
	while (*arg == ' ')
		arg++;
	int n;
	switch (cmd[0]) {
	case 'a':
		input(nlines);
		return 0;
	case 'i':
		if ((n = number(arg, nlines + 1)) < 0)
			break;
		input(n - 1);
		return 0;
	case 'd':
		if ((n = number(arg, nlines)) < 0)
			break;
		free(lines[n - 1]);
		memmove(&lines[n - 1], &lines[n], (nlines - n) * sizeof lines[0]);
		nlines--;
		return 0;
	case 'p':
	case 'n':
		for (int i = 0; i < nlines; i++) {
			if (cmd[0] == 'n')
				printf("%d\t", i + 1);
			printf("%s\n", lines[i]);
		}
		return 0;
	case 'w':
		if (*arg)
			snprintf(name, sizeof name, "%s", arg);
		if (!name[0] || (n = save(name)) < 0)
			break;
		printf("%d\n", n);
		return 0;
	case 'q':
		return 1;
	}
	printf("?\n");
	return 0;
}

int main(int argc, char *argv[])
{
	static char cmd[LINE_MAX];
	int n;
	if (argc > 2) {
		printf("usage: ed [FILE]\n");
		return 1;
	}
	if (argc == 2) {
		snprintf(name, sizeof name, "%s", argv[1]);
		n = load(name);
		if (n >= 0)
			printf("%d\n", n);
	}
	while ((n = readline(sizeof cmd - 1, cmd)) > 0) {
		cmd[n] = 0;
		if (cmd[n - 1] == '\n')
			cmd[n - 1] = 0;
		if (command(cmd))
			break;
	}
	return 0;
}
