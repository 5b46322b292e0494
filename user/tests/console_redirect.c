/* console_redirect.c: print, readline and getchar follow descriptors 1
 * and 0. print (and printf) into a pipe arrive whole at its reader;
 * readline from a file takes one line at a time, at most size bytes, and
 * 0 at the end; getchar takes a byte, and -EEOF at the end; readline
 * from a pipe waits for a whole line; with the descriptor closed they
 * fail (-EBADF); print into a pipe without a reader is -EPIPE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define IN "/tmp/console_redirect"

static char buf[256];

static void print_to_pipe(void)
{
	int p[2], status, got = 0, n;
	CHECK(pipe(p) == 0);
	int pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		int ok = print(6, "hello\n") == 0;
		printf("%d\n", 42);
		exit(ok ? 0 : 1);
	}
	close(p[1]);
	while ((n = read(p[0], buf + got, sizeof buf - got)) > 0)
		got += n;
	CHECK(got == 9 && memcmp(buf, "hello\n42\n", 9) == 0);
	CHECK(wait(&status) == pid && status == 0 && close(p[0]) == 0);
}

/* In a child: standard input is the file IN. */
static void reader(void)
{
	int in = open(IN, O_RDONLY, 0);
	CHECK(dup2(in, 0) == 0 && close(in) == 0);
	CHECK(readline(100, buf) == 9 && memcmp(buf, "line one\n", 9) == 0);
	CHECK(readline(4, buf) == 4 && memcmp(buf, "line", 4) == 0);
	CHECK(readline(100, buf) == 5 && memcmp(buf, " two\n", 5) == 0);
	CHECK(getchar() == 'x' && getchar() == 'y' && getchar() == -EEOF);
	CHECK(readline(100, buf) == 0);
	CHECK(readline(-1, buf) < 0 && readline(10, (char *)0x100000) < 0);
}

static void read_from_file(void)
{
	int fd = open(IN, O_CREAT | O_TRUNC | O_RDWR, 0644);
	CHECK(write(fd, "line one\nline two\nxy", 20) == 20 && close(fd) == 0);
	CHECK(test_in_child(reader) == 0);
	CHECK(unlink(IN) == 0);
}

static void line_from_pipe(void)
{
	int p[2], status;
	CHECK(pipe(p) == 0);
	int pid = fork();
	if (pid == 0) {
		dup2(p[0], 0);
		close(p[0]);
		close(p[1]);
		int n = readline(100, buf);
		int ok = n == 7 && memcmp(buf, "abcdef\n", 7) == 0 && readline(100, buf) == 2;
		ok = ok && readline(100, buf) == 0 && getchar() == -EEOF;
		exit(ok ? 0 : 1);
	}
	close(p[0]);
	CHECK(write(p[1], "abc", 3) == 3);
	sleep(10);	/* the reader waits for the rest of the line */
	CHECK(write(p[1], "def\ngh", 6) == 6 && close(p[1]) == 0);
	CHECK(wait(&status) == pid && status == 0);
}

static void closed(void)
{
	int status, p[2];
	int pid = fork();
	if (pid == 0) {
		close(0);
		close(1);
		int ok = print(3, "abc") == -EBADF && getchar() == -EBADF;
		ok = ok && readline(10, buf) == -EBADF;
		pipe(p);	/* takes 0 and 1: print goes into the pipe */
		ok = ok && p[0] == 0 && p[1] == 1 && print(1, "x") == 0 && getchar() == 'x';
		close(0);
		ok = ok && print(1, "x") == -EPIPE;
		exit(ok ? 0 : 1);
	}
	CHECK(wait(&status) == pid && status == 0);
}

int main(void)
{
	print_to_pipe();
	read_from_file();
	line_from_pipe();
	closed();
	test_done();
}
