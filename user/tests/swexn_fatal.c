/* swexn_fatal.c: when a handler cannot help, the thread dies (status -2
 * if it was alone): a fault inside the handler (it was deregistered on
 * delivery), a handler that resumes without repairing or re-registering,
 * an exception stack that is unmapped, read-only or too short, and a
 * fault after swexn(0, 0, 0, 0). In a task with two threads only the
 * faulting one dies, and the task's status is not touched. */
#include <stddef.h>
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define BAD_ADDR 0x31337000u
#define REGION 0x40000000u
#define PAGE_OF(p) ((char *)((unsigned)(p) & ~(PAGE_SIZE - 1)))

int main(void);

static char xstack[4096] __attribute__((aligned(16)));
#define TOP (xstack + sizeof xstack)
static char thread_stack[4096] __attribute__((aligned(16)));

static void bad_write(void)
{
	*(volatile int *)BAD_ADDR = 1;
}

static void faulting_handler(void *arg, ureg_t *u)
{
	(void)arg, (void)u;
	bad_write();
}

static void unrepaired_handler(void *arg, ureg_t *u)
{
	(void)arg;
	swexn(NULL, NULL, NULL, u);	/* retries the fault with no handler */
}

/* The control: a handler that is delivered ends the task with 3. */
static void exiting_handler(void *arg, ureg_t *u)
{
	(void)arg, (void)u;
	exit(3);
}

/* In a child: register (esp3, eip), fault; the status it ends with. */
static int fault_status(void *esp3, swexn_handler_t eip)
{
	int pid = fork();
	if (pid == 0) {
		if (swexn(esp3, eip, NULL, NULL) < 0)
			exit(1);
		bad_write();
		exit(2);
	}
	int status = 0;
	CHECK(pid > 0 && wait(&status) == pid);
	return status;
}

static void stack_cases(void)
{
	CHECK(fault_status((void *)0x50000000, exiting_handler) == -2);	/* unmapped */
	CHECK(fault_status(PAGE_OF(main) + PAGE_SIZE, exiting_handler) == -2);	/* text */
	CHECK(new_pages((void *)REGION, PAGE_SIZE) == 0);
	CHECK(fault_status((void *)(REGION + 40), exiting_handler) == -2);	/* too short */
	CHECK(fault_status((void *)(REGION + PAGE_SIZE), exiting_handler) == 3);
	CHECK(remove_pages((void *)REGION) == 0);
}

static void thread_body(void *arg)
{
	(void)arg;
	swexn((void *)0x50000000, exiting_handler, NULL, NULL);
	bad_write();
}

/* A child whose second thread dies; its main thread then vanishes. */
static int two_thread_status(void)
{
	int pid = fork();
	if (pid == 0) {
		int tid = thread_fork_on(thread_stack + sizeof thread_stack, thread_body, NULL);
		if (tid < 0)
			exit(1);
		while (yield(tid) == 0)
			;
		vanish();
	}
	int status = 99;
	CHECK(pid > 0 && wait(&status) == pid);
	return status;
}

int main(void)
{
	CHECK(fault_status(TOP, faulting_handler) == -2);
	CHECK(fault_status(TOP, unrepaired_handler) == -2);
	CHECK(fault_status(TOP, exiting_handler) == 3);	/* the control */
	CHECK(fault_status(NULL, NULL) == -2);
	stack_cases();
	CHECK(two_thread_status() == 0);
	test_done();
}
