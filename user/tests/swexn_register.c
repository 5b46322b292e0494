/* swexn_register.c: swexn registers a handler with its stack and
 * argument, replacing the previous one; eip or esp3 of 0 deregisters
 * (no error if nothing was registered); clearly wrong values (eip below
 * USER_MEM_START, an exception stack whose 92 bytes below esp3 are not
 * in user space) are refused and leave the registration as it was. */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define BAD_ADDR 0x31337000u

static char xstack[4096] __attribute__((aligned(16)));
#define TOP (xstack + sizeof xstack)

/* void poke(unsigned addr): write 0 at addr; handlers resume at poke_done. */
void poke(unsigned addr);
extern char poke_done[];
__asm__(".text\n"
	"poke:\n"
	"	movl 4(%esp), %eax\n"
	"	movl $0, (%eax)\n"
	"poke_done:\n"
	"	ret\n");

static volatile int ran_which;		/* which handler ran last, 0: none */
static void *volatile ran_arg;		/* and with what argument */

static void resume(ureg_t *u)
{
	u->eip = (unsigned)poke_done;
	swexn(NULL, NULL, NULL, u);
	test_fail("swexn did not resume");
}

static void handler1(void *arg, ureg_t *u)
{
	ran_which = 1, ran_arg = arg;
	resume(u);
}

static void handler2(void *arg, ureg_t *u)
{
	ran_which = 2, ran_arg = arg;
	resume(u);
}

/* Fault once; which handler ran, with arg as its argument? */
static int fault_runs(int which, void *arg)
{
	ran_which = 0, ran_arg = NULL;
	poke(BAD_ADDR);
	return ran_which == which && ran_arg == arg;
}

/* Values the kernel must refuse, leaving handler1/arg 1 in place. */
static void refused(void)
{
	CHECK(swexn(TOP, handler1, (void *)1, NULL) == 0);
	CHECK(swexn(TOP, (swexn_handler_t)0x00FFFFF0, (void *)2, NULL) < 0);
	CHECK(swexn(TOP, (swexn_handler_t)0x1000, (void *)2, NULL) < 0);
	CHECK(swexn(TOP, (swexn_handler_t)0x500000, (void *)2, NULL) < 0);
	CHECK(swexn((void *)0x500000, handler2, (void *)2, NULL) < 0);
	CHECK(swexn((void *)0x00FFFFFF, handler2, (void *)2, NULL) < 0);
	CHECK(swexn((void *)0x01000010, handler2, (void *)2, NULL) < 0);
	CHECK(swexn((void *)(0x01000000 + 91), handler2, (void *)2, NULL) < 0);
	CHECK(swexn((void *)0x1000, handler2, (void *)2, NULL) < 0);
	CHECK(fault_runs(1, (void *)1));
}

/* A new registration replaces the old one, argument and all. */
static void replaced(void)
{
	CHECK(swexn(TOP, handler1, (void *)3, NULL) == 0);
	CHECK(swexn(TOP - 64, handler2, (void *)4, NULL) == 0);
	CHECK(fault_runs(2, (void *)4));
	CHECK(swexn(TOP, handler1, (void *)5, NULL) == 0);
	CHECK(fault_runs(1, (void *)5));
}

/* In a child: deregister as told, then fault. */
static int status_after(void *esp3, swexn_handler_t eip)
{
	int pid = fork();
	if (pid == 0) {
		swexn(TOP, handler1, (void *)6, NULL);
		if (swexn(esp3, eip, (void *)7, NULL) != 0)
			exit(1);
		poke(BAD_ADDR);
		exit(ran_which == 0 ? 2 : 3);
	}
	int status = 0;
	CHECK(pid > 0 && wait(&status) == pid);
	return status;
}

int main(void)
{
	refused();
	replaced();
	CHECK(status_after(NULL, handler1) == -2);
	CHECK(status_after(TOP, NULL) == -2);
	CHECK(status_after(NULL, NULL) == -2);
	CHECK(swexn(NULL, NULL, NULL, NULL) == 0);
	CHECK(swexn(NULL, NULL, NULL, NULL) == 0);	/* nothing registered */
	test_done();
}
