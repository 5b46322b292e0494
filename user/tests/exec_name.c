/* exec_name.c: exec replaces a task's name entirely. A child of this
 * task starts with the name "exec_name" and execs "true", a shorter one;
 * tasklist then shows its name as "true" and nothing after the NUL, not
 * the tail of the old name ("true\0name"). */
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define MAXTASKS 64

static task_info_t info[MAXTASKS];

/* The entry of task id, or NULL. */
static const task_info_t *find(int id)
{
	int n = tasklist(info, MAXTASKS);
	for (int i = 0; i < n && i < MAXTASKS; i++)
		if (info[i].id == id)
			return &info[i];
	return NULL;
}

int main(void)
{
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "true", NULL };
		exec("true", argv);
		exit(99);
	}
	CHECK(pid > 0);
	/* Until the child has run true to its end: a zombie keeps its name. */
	const task_info_t *t;
	while ((t = find(pid)) && t->state != TASKINFO_EXITED)
		yield(-1);
	if (CHECK(t != NULL)) {
		CHECK(strcmp(t->name, "true") == 0);
		int dirty = 0;
		for (size_t i = strlen(t->name); i < sizeof t->name; i++)
			dirty += t->name[i] != 0;
		tprintf("exec_name: child %d is \"%s\", %d non-zero bytes after the NUL\n",
			pid, t->name, dirty);
		CHECK(dirty == 0);
	}
	int status = -1;
	CHECK(wait(&status) == pid && status == 0);
	test_done();
}
