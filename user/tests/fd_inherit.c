/* runner: args=parent */
/* fd_inherit.c: descriptors across fork, exec and exit. A forked child
 * shares its parent's open files, offsets included; dup2 makes two
 * descriptors share one; exec keeps every descriptor (the program runs
 * itself again, with "child", to read from one it did not open); and a
 * child that exits with files open gives them all back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define FILE_ "/tmp/fd_inherit"
#define KEPT 7

static char buf[64];

/* Run after exec: descriptor KEPT is the parent's file at offset 2. */
static int child(void)
{
	fable_stat_t st;
	int ok = fstat(KEPT, &st) == 0 && st.type == FT_FILE && st.size == 10;
	ok = ok && read(KEPT, buf, 3) == 3 && memcmp(buf, "234", 3) == 0;
	return ok ? 0 : 1;
}

static void shared_offsets(int fd)
{
	int status;
	int pid = fork();
	if (pid == 0)
		exit(read(fd, buf, 3) == 3 && memcmp(buf, "012", 3) == 0 ? 0 : 1);
	CHECK(wait(&status) == pid && status == 0);
	CHECK(read(fd, buf, 3) == 3 && memcmp(buf, "345", 3) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 6);
}

static void exec_keeps(int fd)
{
	int status;
	char *argv[] = { "fd_inherit", "child", NULL };
	CHECK(lseek(fd, 2, SEEK_SET) == 2 && dup2(fd, KEPT) == KEPT);
	int pid = fork();
	if (pid == 0) {
		exec(argv[0], argv);
		exit(2);
	}
	CHECK(wait(&status) == pid && status == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 5);	/* the exec'd child moved it */
	CHECK(close(KEPT) == 0 && lseek(fd, 0, SEEK_CUR) == 5);
}

static void exit_closes(void)
{
	kstat_t before = { .size = sizeof before }, after = { .size = sizeof after };
	int p[2];
	CHECK(kstat(&before) == 0);
	int pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 5; i++)
			open(FILE_, O_RDONLY, 0);
		pipe(p);
		exit(0);
	}
	CHECK(wait(NULL) == pid);
	CHECK(kstat(&after) == 0);
	CHECK(after.open_files == before.open_files && after.pipes == before.pipes);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "child") == 0)
		return child();
	int fd = open(FILE_, O_CREAT | O_TRUNC | O_RDWR, 0644);
	CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10 && lseek(fd, 0, SEEK_SET) == 0);
	shared_offsets(fd);
	exec_keeps(fd);
	exit_closes();
	CHECK(close(fd) == 0 && unlink(FILE_) == 0);
	test_done();
}
