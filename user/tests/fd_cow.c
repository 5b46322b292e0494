/* fd_cow.c: after a fork, parent and child share one descriptor table
 * until either changes it (docs/files.md). Each then changes its own:
 * the child closes, opens, dup2s and chdirs, the parent dup2s and
 * closes, one after the other, and neither sees the other's changes,
 * while the open files they still both have keep one shared offset.
 * Last, one thread forks while another changes the table it shares. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <unistd.h>
#include "testlib.h"

#define FILE_ "/tmp/fd_cow"
#define CHILD_FD 20	/* the child's dup2 */
#define PARENT_FD 21	/* the parent's dup2 */

static char buf[16];

static int is_closed(int fd)
{
	fable_stat_t st;
	return fstat(fd, &st) == -EBADF;
}

/* Is fd the ten-byte file? */
static int is_file(int fd)
{
	fable_stat_t st;
	return fstat(fd, &st) == 0 && st.type == FT_FILE && st.size == 10;
}

/* The child: its changes first, then a look at the parent's. */
static int child(int fd, int go, int back)
{
	int ok = read(fd, buf, 3) == 3 && memcmp(buf, "012", 3) == 0;
	ok = ok && close(fd) == 0 && is_closed(fd);
	int dir = open("/", O_RDONLY, 0);
	ok = ok && dir == fd;	/* the lowest free slot is the one it closed */
	ok = ok && dup2(dir, CHILD_FD) == CHILD_FD && chdir("/tmp") == 0;
	ok = ok && write(back, "c", 1) == 1;
	ok = ok && read(go, buf, 1) == 1;	/* the parent has changed its table */
	ok = ok && is_closed(PARENT_FD) && !is_file(fd);
	return ok ? 0 : 1;
}

static void cow(void)
{
	int go[2], back[2], status;
	int fd = open(FILE_, O_CREAT | O_TRUNC | O_RDWR, 0644);
	CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10 && lseek(fd, 0, SEEK_SET) == 0);
	CHECK(pipe(go) == 0 && pipe(back) == 0);
	int pid = fork();
	if (pid == 0)
		exit(child(fd, go[0], back[1]));
	CHECK(pid > 0 && read(back[0], buf, 1) == 1);	/* the child has changed its table */
	CHECK(is_file(fd) && is_closed(CHILD_FD));
	CHECK(getcwd(buf, sizeof buf) == 1 && strcmp(buf, "/") == 0);
	CHECK(read(fd, buf, 3) == 3 && memcmp(buf, "345", 3) == 0);	/* one offset */
	CHECK(dup2(fd, PARENT_FD) == PARENT_FD && close(go[0]) == 0);
	CHECK(write(go[1], "p", 1) == 1);
	CHECK(wait(&status) == pid && status == 0);
	CHECK(lseek(PARENT_FD, 0, SEEK_CUR) == 6 && close(PARENT_FD) == 0);
	CHECK(close(fd) == 0 && close(go[1]) == 0 && close(back[0]) == 0 && close(back[1]) == 0);
	CHECK(unlink(FILE_) == 0);
}

/* Forks that exit or exec at once never copy a table: whatever they
 * shared goes with the last of them, and the parent keeps its files. */
static void share_and_go(void)
{
	kstat_t before = { .size = sizeof before }, after = { .size = sizeof after };
	int p[2];
	CHECK(pipe(p) == 0 && kstat(&before) == 0);
	for (int i = 0; i < 20; i++) {
		int pid = fork();
		if (pid == 0)
			exit(0);
		CHECK(pid > 0 && wait(NULL) == pid);
	}
	CHECK(kstat(&after) == 0 && after.open_files == before.open_files);
	CHECK(write(p[1], "x", 1) == 1 && close(p[1]) == 0);
	CHECK(read(p[0], buf, 2) == 1 && read(p[0], buf, 1) == 0 && close(p[0]) == 0);
}

static volatile int churning;

/* Open, dup2 and close over and over, beside the forks of main. */
static void *churner(void *arg)
{
	(void)arg;
	int bad = 0;
	while (churning) {
		int fd = open("/", O_RDONLY, 0);
		bad += fd < 0 || dup2(fd, CHILD_FD) != CHILD_FD;
		bad += close(fd) != 0 || close(CHILD_FD) != 0;
	}
	return (void *)(long)bad;
}

/* Each fork shares the table of the moment; each change of the churner
 * after it copies that table, and may drop the last hold on it. In a
 * child of the test, as the thread library keeps its caches. */
static void fork_while_changing(void)
{
	void *ret;
	CHECK(thr_init(8192) == 0);
	churning = 1;
	int tid = thr_create(churner, NULL);
	CHECK(tid > 0);
	for (int i = 0; i < 100; i++) {
		int pid = fork();
		if (pid == 0)
			exit(is_closed(PARENT_FD) ? 0 : 1);
		int status;
		CHECK(pid > 0 && wait(&status) == pid && status == 0);
		yield(tid);
	}
	churning = 0;
	CHECK(thr_join(tid, &ret) == 0 && ret == NULL);
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	cow();
	share_and_go();
	CHECK(test_in_child(fork_while_changing) == 0);	/* threads keep caches */
	CHECK(test_baseline_same(&base));
	test_done();
}
