/* swexn_inherit.c: fork copies the caller's handler registration to the
 * child; thread_fork's new thread starts with none (its fault kills it
 * alone, while the creator's handler still works); exec starts the new
 * image with none - there crt0 installs only the stack-growth handler,
 * which leaves a wild write to the kernel, so the task ends with -2
 * rather than in the old image's handler. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define BAD_ADDR 0x31337000u
#define ARG 42
#define FROM_THREAD 100		/* added to the status by a thread's fault */

static char xstack[4096] __attribute__((aligned(16)));
#define TOP (xstack + sizeof xstack)
static char thread_stack[4096] __attribute__((aligned(16)));
static int main_tid;

static void bad_write(void)
{
	*(volatile int *)BAD_ADDR = 1;
}

/* Ends the task: ARG from the main thread on its own exception stack. */
static void handler(void *arg, ureg_t *u)
{
	int status = (int)arg;
	if (gettid() != main_tid)
		status += FROM_THREAD;
	if (u != (ureg_t *)TOP - 1)
		status = 1;
	exit(status);
}

static int reap(int pid)
{
	int status = 0;
	CHECK(pid > 0 && wait(&status) == pid);
	return status;
}

static void fork_child(void)
{
	main_tid = gettid();
	bad_write();
	exit(2);
}

static void thread_body(void *arg)
{
	(void)arg;
	bad_write();
}

/* The thread dies by the kernel's hand; then the main thread faults. */
static void thread_child(void)
{
	main_tid = gettid();
	if (swexn(TOP, handler, (void *)ARG, NULL) < 0)
		exit(1);
	int tid = thread_fork_on(thread_stack + sizeof thread_stack, thread_body, NULL);
	while (tid > 0 && yield(tid) == 0)
		;
	bad_write();
	exit(2);
}

static void exec_child(void)
{
	char *argv[] = { "swexn_inherit", "exec", NULL };
	if (swexn(TOP, handler, (void *)77, NULL) < 0)
		exit(1);
	exec(argv[0], argv);
	exit(3);
}

int main(int argc, char *argv[])
{
	if (argc == 2 && strcmp(argv[1], "exec") == 0)
		bad_write();	/* the exec'd image: never returns */
	main_tid = gettid();
	CHECK(swexn(TOP, handler, (void *)ARG, NULL) == 0);
	int pid = fork();
	if (pid == 0)
		fork_child();
	CHECK(reap(pid) == ARG);
	CHECK(swexn(NULL, NULL, NULL, NULL) == 0);
	if ((pid = fork()) == 0)
		thread_child();
	CHECK(reap(pid) == ARG);
	if ((pid = fork()) == 0)
		exec_child();
	CHECK(reap(pid) == -2);
	test_done();
}
