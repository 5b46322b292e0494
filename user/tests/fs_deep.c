/* runner: timeout=60 */
/* fs_deep.c: a chain of DEPTH directories in /tmp, each removed while a
 * child task still has the deepest as its current directory: each
 * removed directory keeps its parent alive for '..'. When the child
 * exits, the whole chain goes at once, and the kernel frees it without
 * a stack frame per level. '..' from the removed directory still
 * climbs, and nothing can be made in it. Also: a file ends below 64 MiB
 * in /tmp (-EFBIG). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define DEPTH 500	/* "/tmp/fs_deep" and 500 "/d": just under FS_PATH_MAX */
#define BASE "/tmp/fs_deep"

int main(void)
{
	fable_stat_t st;
	kstat_t base;
	int p[2], status;
	test_baseline(&base);
	CHECK(mkdir(BASE, 0755) == 0 && chdir(BASE) == 0);
	int made = 0;
	while (made < DEPTH && mkdir("d", 0755) == 0 && chdir("d") == 0)
		made++;
	CHECK(made == DEPTH);
	CHECK(pipe(p) == 0);
	int pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		read(p[0], &c, 1);	/* until the parent has removed the chain */
		int ok = stat("..", &st) == 0 && st.type == FT_DIR && st.nlink == 0;
		ok = ok && open("f", O_CREAT | O_RDWR, 0644) == -ENOENT;
		exit(ok ? 0 : 1);
	}
	close(p[0]);
	int removed = 0;
	for (int i = 0; i < made; i++)
		removed += chdir("..") == 0 && rmdir("d") == 0;
	CHECK(removed == made && chdir("/") == 0 && rmdir(BASE) == 0);
	CHECK(close(p[1]) == 0);
	CHECK(wait(&status) == pid && status == 0);
	int fd = open("/tmp/fs_deep_big", O_CREAT | O_RDWR, 0644);
	CHECK(lseek(fd, (64 << 20) - 1, SEEK_SET) == (64 << 20) - 1 && write(fd, "z", 1) == 1);
	CHECK(write(fd, "z", 1) == -EFBIG && fstat(fd, &st) == 0 && st.size == 64 << 20);
	CHECK(close(fd) == 0 && unlink("/tmp/fs_deep_big") == 0);
	CHECK(test_baseline_same(&base));
	test_done();
}
