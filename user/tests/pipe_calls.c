/* pipe_calls.c: pipes. Bytes come out as they went in; each end refuses
 * the other direction and seeks; the reader sees the end (0) once the
 * last writer closed - or exited without closing; a writer with no
 * reader left gets -EPIPE; a writer blocks while the pipe is full and a
 * reader while it is empty, and both wake, also when the other side
 * closes; small writes of two writers
 * never interleave; a thread blocked reading or writing dies with its
 * task (task_vanish); and every pipe and open file is gone afterwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <unistd.h>
#include "testlib.h"

#define BIG 20000
#define RECORD 64
#define RECORDS 100

static char buf[BIG + 100];

static int pattern(int i)
{
	return (i * 7 + i / 251) & 0xFF;
}

static void basics(void)
{
	int p[2];
	fable_stat_t st;
	CHECK(pipe(p) == 0 && p[0] >= 3 && p[1] >= 3 && p[0] != p[1]);
	CHECK(write(p[1], "hello", 5) == 5);
	CHECK(fstat(p[0], &st) == 0 && st.type == FT_PIPE && st.size == 5);
	CHECK(read(p[0], buf, 3) == 3 && memcmp(buf, "hel", 3) == 0);
	CHECK(read(p[0], buf, 100) == 2 && memcmp(buf, "lo", 2) == 0);
	CHECK(read(p[1], buf, 1) == -EBADF && write(p[0], "x", 1) == -EBADF);
	CHECK(lseek(p[0], 0, SEEK_SET) == -ESPIPE && readdir(p[0], NULL) < 0);
	CHECK(write(p[1], buf, 0) == 0 && read(p[0], buf, 0) == 0);
	CHECK(close(p[1]) == 0 && read(p[0], buf, 10) == 0 && close(p[0]) == 0);
	CHECK(pipe(p) == 0 && close(p[0]) == 0);
	CHECK(write(p[1], "x", 1) == -EPIPE && close(p[1]) == 0);
}

/* The child's exit closes its copy of the writing end. */
static void end_at_exit(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	int pid = fork();
	if (pid == 0)
		exit(0);	/* without closing anything */
	CHECK(close(p[1]) == 0);
	CHECK(read(p[0], buf, 10) == 0);
	CHECK(wait(NULL) == pid && close(p[0]) == 0);
}

/* A writer of more than the pipe holds blocks until the reader reads. */
static void blocking_writer(void)
{
	int p[2], status;
	CHECK(pipe(p) == 0);
	int pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (int i = 0; i < BIG; i++)
			buf[i] = pattern(i);
		exit(write(p[1], buf, BIG) == BIG ? 0 : 1);
	}
	close(p[1]);
	sleep(20);	/* the child fills the pipe and waits */
	int got = 0, n, ok = 1;
	while ((n = read(p[0], buf + got, sizeof buf - got)) > 0)
		got += n;
	for (int i = 0; i < got; i++)
		ok &= (buf[i] & 0xFF) == pattern(i);
	CHECK(n == 0 && got == BIG && ok);
	CHECK(wait(&status) == pid && status == 0 && close(p[0]) == 0);
}

/* A reader of an empty pipe blocks until the writer writes. */
static void blocking_reader(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	int pid = fork();
	if (pid == 0) {
		sleep(20);
		write(p[1], "late", 4);
		exit(0);
	}
	unsigned t0 = get_ticks();
	CHECK(read(p[0], buf, 100) == 4 && memcmp(buf, "late", 4) == 0);
	CHECK(get_ticks() - t0 >= 15);
	CHECK(wait(NULL) == pid && close(p[0]) == 0 && close(p[1]) == 0);
}

/* A reader blocked on an empty pipe wakes with the end when the last
 * writer goes; a writer blocked on a full pipe wakes with -EPIPE (or
 * the count it moved) when the last reader goes. */
static void wake_on_close(void)
{
	int p[2], status;
	CHECK(pipe(p) == 0);
	int pid = fork();
	if (pid == 0) {
		close(p[0]);
		sleep(20);
		exit(0);	/* closes the last writing end */
	}
	CHECK(close(p[1]) == 0 && read(p[0], buf, 10) == 0 && close(p[0]) == 0);
	CHECK(wait(NULL) == pid);
	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		int n = write(p[1], buf, BIG);	/* fills the pipe, then waits */
		exit(n == -EPIPE || (n > 0 && n < BIG) ? 0 : 1);
	}
	CHECK(close(p[1]) == 0);
	sleep(20);
	CHECK(close(p[0]) == 0);
	CHECK(wait(&status) == pid && status == 0);
}

/* Two writers of RECORD-byte records: each record arrives whole. */
static void atomic_writes(void)
{
	int p[2], whole = 1, got = 0, n;
	CHECK(pipe(p) == 0);
	for (int w = 0; w < 2; w++) {
		if (fork() == 0) {
			char rec[RECORD];
			memset(rec, 'a' + w, sizeof rec);
			for (int i = 0; i < RECORDS; i++)
				write(p[1], rec, sizeof rec);
			exit(0);
		}
	}
	close(p[1]);
	while ((n = read(p[0], buf + got, RECORD * 2 * RECORDS - got)) > 0)
		got += n;
	for (int i = 0; i < got; i++)
		whole &= buf[i] == buf[i - i % RECORD];
	CHECK(got == RECORD * 2 * RECORDS && whole);
	CHECK(wait(NULL) > 0 && wait(NULL) > 0 && close(p[0]) == 0);
}

static int killp[2];

static void *blocked_reader(void *arg)
{
	(void)arg;
	read(killp[0], buf, 10);	/* nobody writes: only the kill ends it */
	exit(1);
}

static void *blocked_writer(void *arg)
{
	(void)arg;
	while (write(killp[1], buf, sizeof buf) >= 0)
		continue;	/* nobody reads: the second write blocks */
	return NULL;
}

/* A task whose thread is blocked in the pipe ends with task_vanish. */
static void killed(void *(*blocked)(void *))
{
	int status;
	CHECK(pipe(killp) == 0);
	int pid = fork();
	if (pid == 0) {
		thr_init(4096);
		thr_create(blocked, NULL);
		sleep(20);	/* it blocks meanwhile */
		task_vanish(7);
	}
	CHECK(wait(&status) == pid && status == 7);
	CHECK(close(killp[0]) == 0 && close(killp[1]) == 0);
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	basics();
	end_at_exit();
	blocking_writer();
	blocking_reader();
	wake_on_close();
	atomic_writes();
	killed(blocked_reader);
	killed(blocked_writer);
	CHECK(test_baseline_same(&base));
	test_done();
}
