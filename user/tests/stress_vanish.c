/* runner: timeout=60 */
/*
 * stress_vanish.c: task_vanish ends a task promptly whatever its threads
 * are doing. The victim task has threads blocked in readline, getchar
 * (behind a reader of another task, which holds the console's input),
 * sleep, deschedule, wait, a mutex, a condition variable and thr_join,
 * and threads running in user mode, in sleep loops and printing. Once
 * every blocking one is asleep, the victim calls task_vanish(77): its
 * exit must reach our wait long before any of those waits would end by
 * itself, and nothing of it may be left.
 */
#include <cond.h>
#include <mutex.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>
#include "stress.h"
#include "testlib.h"

#define STACK 8192
#define HOLD_TICKS 400		/* the other reader gives up after this */
#define CHILD_TICKS 400	/* the victim's child exits after this */
#define PROMPT_TICKS 200	/* the victim's exit must come sooner */
#define VICTIM_STATUS 77

static mutex_t held;
static cond_t never;
static volatile int zero, spins;
static char line[64];

/* The threads of the victim: each blocks (or runs) for ever. */
static void *in_readline(void *a)
{
	readline(sizeof line, line);
	return a;
}

static void *in_getchar(void *a)
{
	getchar();
	return a;
}

static void *in_sleep(void *a)
{
	sleep(1000000);
	return a;
}

static void *in_deschedule(void *a)
{
	for (;;)
		deschedule((int *)&zero);
	return a;
}

static void *in_wait(void *a)
{
	wait(NULL);
	return a;
}

static void *in_mutex(void *a)
{
	mutex_lock(&held);
	return a;
}

static void *spinning(void *a)
{
	for (;;)
		spins++;
	return a;
}

static void *napping(void *a)
{
	for (;;)
		sleep(1);
	return a;
}

static void *printing(void *a)
{
	for (;;)
		print(2, "..");
	return a;
}

static void *in_cond(void *a)
{
	mutex_t m;
	mutex_init(&m);
	mutex_lock(&m);
	cond_wait(&never, &m);
	return a;
}

static void *in_join(void *a)
{
	return (void *)thr_join((int)a, NULL);
}

/* Start a thread; once it blocks, yield to it fails. */
static int start(void *(*fn)(void *), void *arg, int blocks)
{
	int tid = thr_create(fn, arg);
	if (tid < 0)
		exit(2);
	while (blocks && yield(tid) == 0)
		;
	return tid;
}

static void victim(void)
{
	thr_init(STACK);
	mutex_init(&held);
	cond_init(&never);
	mutex_lock(&held);
	if (fork() == 0) {
		sleep(CHILD_TICKS);
		exit(5);
	}
	void *(*const blockers[])(void *) = { in_readline, in_getchar, in_sleep,
		in_deschedule, in_wait, in_mutex, in_cond };
	for (unsigned i = 0; i < sizeof blockers / sizeof blockers[0]; i++)
		start(blockers[i], NULL, 1);
	start(in_join, (void *)start(in_deschedule, NULL, 1), 1);
	start(spinning, NULL, 0);
	start(napping, NULL, 0);
	start(printing, NULL, 0);
	task_vanish(VICTIM_STATUS);
}

/* A task of its own reads the console first and holds it for a while,
 * so the victim's readers wait in line behind it. */
static int other_reader(void)
{
	int pid = fork();
	if (pid == 0) {
		thr_init(STACK);
		start(in_getchar, NULL, 1);
		sleep(HOLD_TICKS);
		exit(6);
	}
	return pid;
}

int main(void)
{
	kstat_t base;
	int status, victim_status = -1;
	unsigned took = 0;
	stress_begin(&base);
	int reader = other_reader();
	while (yield(reader) == 0)	/* let it reach getchar first */
		;
	sleep(10);
	unsigned t0 = get_ticks();
	int pid = fork();
	if (pid == 0)
		victim();
	CHECK(pid > 0);
	int who;
	/* the victim, the other reader, and the victim's orphan if we are
	 * init (started from the shell, init gets it) */
	while ((who = wait(&status)) > 0)
		if (who == pid)
			victim_status = status, took = get_ticks() - t0;
	tprintf("stress_vanish: the victim's exit (status %d) came after %u ticks\n",
		victim_status, took);
	CHECK(victim_status == VICTIM_STATUS);
	CHECK(took < PROMPT_TICKS);
	print(1, "\n");
	stress_end(&base);
}
