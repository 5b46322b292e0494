/*
 * ps.c: every task and its threads, with their states, from Fable's
 * tasklist call (fable.h): one line per task, its threads as
 * tid:state@cpu (the CPU it runs on or last ran on; no @ before its
 * first run).
 */
#include <fable.h>
#include <malloc.h>
#include <stdio.h>
#include <syscall.h>

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const task_states[] = { "alive", "exited" };
static const char *const thread_states[] = {
	"running", "runnable", "blocked", "sleeping", "descheduled",
};

static const char *name_of(const char *const *names, int n, int i)
{
	return i >= 0 && i < n ? names[i] : "?";
}

#define FIRST_GUESS 16	/* tasks; the buffer grows if there are more */

/* Every task, in a buffer grown until the snapshot fits; the count goes
 * to *n. NULL if the kernel has no task list or memory ran out. */
static task_info_t *snapshot(int *n)
{
	for (int room = FIRST_GUESS;; room *= 2) {
		task_info_t *buf = malloc(room * sizeof *buf);
		if (!buf)
			return NULL;
		int have = tasklist(buf, room);
		if (have >= 0 && have <= room) {
			*n = have;
			return buf;
		}
		free(buf);
		if (have < 0)
			return NULL;
	}
}

static void show(const task_info_t *t)
{
	int listed = t->nthreads < TASKINFO_THREADS ? t->nthreads : TASKINFO_THREADS;
	printf("%5d %6d %-6s %6d %7u  %-12.12s", t->id, t->parent,
	       name_of(task_states, NELEM(task_states), t->state), t->status, t->frames, t->name);
	for (int i = 0; i < listed; i++) {
		const thread_info_t *th = &t->threads[i];
		printf(" %d:%s", th->tid, name_of(thread_states, NELEM(thread_states), th->state));
		if (th->cpu >= 0)
			printf("@%d", th->cpu);
	}
	if (t->nthreads > listed)
		printf(" +%d more", t->nthreads - listed);
	printf("\n");
}

int main(void)
{
	int n;
	task_info_t *tasks = snapshot(&n);
	if (!tasks) {
		printf("ps: the kernel gave no task list (tasklist, vector 0x83)\n");
		return 1;
	}
	printf(" TASK PARENT STATE  STATUS  FRAMES  %-12s THREADS (tid:state@cpu)\n", "PROGRAM");
	for (int i = 0; i < n; i++)
		show(&tasks[i]);
	free(tasks);
	return 0;
}
