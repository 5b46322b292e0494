/* vm86_kill.c: a program that enters virtual-8086 mode dies, alone.
 * QEMU's iret honours EFLAGS.VM from ring 3 (a real CPU ignores it), so
 * a program can build a vm86 frame and iret into it. No vm86 code can
 * run - every linear address below 1 MiB + 64 KiB is a supervisor page
 * - but the traps that follow arrive with a vm86 frame, which the kernel
 * once took for its own (a panic). Each case enters vm86 mode in a child
 * task, which must end with status -2 while this task goes on: a fetch
 * from page 0 (never mapped), from low memory and from the kernel's text
 * (present but supervisor), with IOPL 3 and interrupts off in the
 * entered flags, and a single-step trap right after the iret. A thread
 * of a task with a swexn handler dies too, without its handler being
 * run (vm86 registers are no ureg_t), and its task goes on. */
#include <stddef.h>
#include <stdlib.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define VM    0x00020000u
#define IF    0x00000200u
#define IOPL3 0x00003000u
#define NT    0x00004000u
#define AC    0x00040000u
#define RSV1  0x00000002u

/*
 * vm86_enter(eflags, cs, ip): iret into vm86 mode at cs:ip with those
 * flags, ss:sp 5555:1000 and es, ds, fs, gs 1111, 2222, 3333, 4444
 * (which the kill report must show: tests/cases_ring0.py).
 * vm86_enter_step does the same with the trap flag set first, so a
 * single-step trap follows the iret. Neither returns.
 */
void vm86_enter(unsigned eflags, unsigned cs, unsigned ip) __attribute__((noreturn));
void vm86_enter_step(unsigned eflags, unsigned cs, unsigned ip) __attribute__((noreturn));
#define VM86_FRAME \
	"	movl 4(%esp), %eax\n	movl 8(%esp), %ecx\n	movl 12(%esp), %edx\n" \
	"	pushl $0x4444\n	pushl $0x3333\n"		/* gs fs */ \
	"	pushl $0x2222\n	pushl $0x1111\n"		/* ds es */ \
	"	pushl $0x5555\n	pushl $0x1000\n"		/* ss sp */ \
	"	pushl %eax\n	pushl %ecx\n	pushl %edx\n"	/* flags cs ip */
__asm__(".text\n"
	"vm86_enter:\n" VM86_FRAME
	"	iret\n"
	"vm86_enter_step:\n" VM86_FRAME
	"	pushfl\n	orl $0x100, (%esp)\n	popfl\n"
	"	iret\n");

static unsigned entry_flags, entry_cs, entry_ip;

/* Run a child task that enters vm86 mode with the entry_* values; its
 * exit status, or 99 if it came back. */
static int child_enters(int step)
{
	int pid = fork();
	if (pid == 0) {
		if (step)
			vm86_enter_step(entry_flags, entry_cs, entry_ip);
		vm86_enter(entry_flags, entry_cs, entry_ip);
	}
	int status = 99;
	CHECK(pid > 0 && wait(&status) == pid);
	return status;
}

static int killed(const char *what, unsigned flags, unsigned cs, unsigned ip, int step)
{
	entry_flags = flags | RSV1, entry_cs = cs, entry_ip = ip;
	int status = child_enters(step);
	tprintf("vm86_kill: %s (flags %#x, %04x:%04x%s): status %d\n", what, flags, cs, ip,
		step ? ", single step" : "", status);
	return status == -2;
}

static volatile int handler_ran;
static char thread_stack[4096] __attribute__((aligned(16)));
static char xstack[4096] __attribute__((aligned(16)));

static void handler(void *arg, ureg_t *u)
{
	(void)arg, (void)u;
	handler_ran = 1;
	vanish();
}

static void vm86_thread(void *arg)
{
	(void)arg;
	swexn(&xstack[sizeof xstack], handler, NULL, NULL);
	vm86_enter(VM | IF | RSV1, 0x1000, 0);
}

/* A task's second thread enters vm86 mode, with a swexn handler: it
 * dies, the handler never runs, and the first thread goes on. */
static void thread_dies(void)
{
	int tid = thread_fork_on(&thread_stack[sizeof thread_stack], vm86_thread, NULL);
	CHECK(tid > 0);
	while (yield(tid) == 0)		/* until it has vanished */
		continue;
	CHECK(!handler_ran);
	tprintf("vm86_kill: thread %d is gone, thread %d goes on\n", tid, gettid());
}

int main(void)
{
	CHECK(killed("page 0", VM | IF, 0x0000, 0x0000, 0));
	CHECK(killed("low memory", VM | IF, 0x1000, 0x0000, 0));
	CHECK(killed("kernel text", VM | IF, 0xFFFF, 0x0010, 0));
	CHECK(killed("IOPL 3, interrupts off", VM | IOPL3 | NT | AC, 0x1000, 0x0000, 0));
	CHECK(killed("single step", VM | IF, 0x1000, 0x0000, 1));
	CHECK(test_in_child(thread_dies) == 0);
	test_done();
}
