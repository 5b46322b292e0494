/* swexn_newureg.c: swexn with a newureg loads exactly those registers
 * (cause, cr2, zero and error_code ignored) after (de)registering; it
 * refuses registers that could hurt the kernel (wrong selectors, IOPL,
 * IF or bit 1 clear, VM/NT/VIF/VIP or reserved eflags bits) and an
 * unreadable newureg, and a refused call changes nothing at all: the
 * registration stays, and the caller carries on where it was. */
#include <stddef.h>
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define BAD_ADDR 0x31337000u
#define REGION 0x40000000u
#define LANDED 0x1A2D		/* swexn_jump's result when u was loaded */
#define CF 0x1
#define PF 0x4
#define AF 0x10
#define ZF 0x40
#define SF 0x80
#define DF 0x400
#define OF 0x800
#define AC 0x40000
#define ID 0x200000

static char stack1[4096] __attribute__((aligned(16)));
static char stack2[4096] __attribute__((aligned(16)));
static char land_stack[1024] __attribute__((aligned(16)));
#define TOP1 (stack1 + sizeof stack1)
#define TOP2 (stack2 + sizeof stack2)

/* What landing found in the registers; segments are 16-bit stores. */
struct landed {
	unsigned eax, ebx, ecx, edx, esi, edi, ebp, esp, eflags;
	unsigned cs, ss, ds, es, fs, gs;
};
struct landed landed;
unsigned jump_esp;		/* swexn_jump's stack, for landing */

/*
 * int swexn_jump(void *esp3, swexn_handler_t eip, void *arg, ureg_t *u):
 * swexn from C with a newureg whose eip is landing. If the kernel loads
 * u, landing records every register, restores swexn_jump's stack and
 * returns LANDED; if it refuses, swexn's result comes back.
 */
int swexn_jump(void *esp3, swexn_handler_t eip, void *arg, ureg_t *u);
void landing(void);
__asm__(".text\n"
	"swexn_jump:\n"
	"	pushl %ebp\n	movl %esp, %ebp\n"
	"	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	movl %esp, jump_esp\n"
	"	leal 8(%ebp), %esi\n"
	"	int $0x74\n"
	"	jmp 1f\n"
	"landing:\n"
	"	movl %eax, landed+0\n	movl %ebx, landed+4\n"
	"	movl %ecx, landed+8\n	movl %edx, landed+12\n"
	"	movl %esi, landed+16\n	movl %edi, landed+20\n"
	"	movl %ebp, landed+24\n	movl %esp, landed+28\n"
	"	pushfl\n	popl landed+32\n"
	"	pushl $0x202\n	popfl\n"
	"	movw %cs, landed+36\n	movw %ss, landed+40\n"
	"	movw %ds, landed+44\n	movw %es, landed+48\n"
	"	movw %fs, landed+52\n	movw %gs, landed+56\n"
	"	movl jump_esp, %esp\n"
	"	movl $0x1A2D, %eax\n"
	"1:	popl %edi\n	popl %esi\n	popl %ebx\n	popl %ebp\n"
	"	ret\n");

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
static void *volatile ran_arg;

/* Both handlers note themselves, re-register and resume past poke. */
static void handler1(void *arg, ureg_t *u)
{
	ran_which = 1, ran_arg = arg;
	u->eip = (unsigned)poke_done;
	swexn(TOP1, handler1, arg, u);
}

static void handler2(void *arg, ureg_t *u)
{
	ran_which = 2, ran_arg = arg;
	u->eip = (unsigned)poke_done;
	swexn(TOP2, handler2, arg, u);
}

static int fault_runs(int which, void *arg)
{
	ran_which = 0, ran_arg = NULL;
	poke(BAD_ADDR);
	return ran_which == which && ran_arg == arg;
}

/* Registers that are safe to load; ignored fields hold junk. */
static ureg_t good_ureg(void)
{
	ureg_t u = {
		.cause = 0xDEAD, .cr2 = 0xDEAD, .zero = 0xDEAD, .error_code = 0xDEAD,
		.ds = 0x2B, .es = 0x2B, .fs = 0x2B, .gs = 0x2B, .ss = 0x2B, .cs = 0x23,
		.eax = 0xA0000001, .ebx = 0xB0000002, .ecx = 0xC0000003,
		.edx = 0xD0000004, .esi = 0x50000005, .edi = 0xD1000006,
		.ebp = 0xB0000007, .eflags = 0x202,
		.eip = (unsigned)landing,
		.esp = (unsigned)(land_stack + sizeof land_stack),
	};
	return u;
}

/* Did landing see exactly u's registers? */
static int loaded(const ureg_t *u)
{
	const struct landed *l = &landed;
	return l->eax == u->eax && l->ebx == u->ebx && l->ecx == u->ecx &&
	       l->edx == u->edx && l->esi == u->esi && l->edi == u->edi &&
	       l->ebp == u->ebp && l->esp == u->esp &&
	       (l->eflags & ~0x10000u) == u->eflags &&
	       l->cs == 0x23 && l->ss == 0x2B && l->ds == 0x2B &&
	       l->es == 0x2B && l->fs == 0x2B && l->gs == 0x2B;
}

struct bad {
	const char *what;
	size_t field;		/* offsetof(ureg_t, ...) */
	unsigned value;
};

#define UREG(f) offsetof(ureg_t, f)
static const struct bad bads[] = {
	{ "cs 0x1B", UREG(cs), 0x1B }, { "cs 0x10", UREG(cs), 0x10 },
	{ "cs 0x08", UREG(cs), 0x08 }, { "cs 0x2B", UREG(cs), 0x2B },
	{ "cs 0x20", UREG(cs), 0x20 }, { "cs 0", UREG(cs), 0 },
	{ "ss 0x23", UREG(ss), 0x23 }, { "ss 0x18", UREG(ss), 0x18 },
	{ "ss 0x28", UREG(ss), 0x28 }, { "ss 0", UREG(ss), 0 },
	{ "ds 0x18", UREG(ds), 0x18 }, { "ds 0x23", UREG(ds), 0x23 },
	{ "ds 0x28", UREG(ds), 0x28 }, { "es 0x18", UREG(es), 0x18 },
	{ "es 0x08", UREG(es), 0x08 }, { "fs 0x10", UREG(fs), 0x10 },
	{ "fs 0x33", UREG(fs), 0x33 }, { "gs 0x08", UREG(gs), 0x08 },
	{ "gs 0xFFFF", UREG(gs), 0xFFFF },
	{ "IOPL 3", UREG(eflags), 0x3202 }, { "IOPL 1", UREG(eflags), 0x1202 },
	{ "IOPL 2", UREG(eflags), 0x2202 }, { "IF clear", UREG(eflags), 0x002 },
	{ "bit 1 clear", UREG(eflags), 0x200 }, { "VM", UREG(eflags), 0x20202 },
	{ "NT", UREG(eflags), 0x4202 }, { "VIF", UREG(eflags), 0x80202 },
	{ "VIP", UREG(eflags), 0x100202 }, { "bit 3", UREG(eflags), 0x20A },
	{ "bit 5", UREG(eflags), 0x222 }, { "bit 15", UREG(eflags), 0x8202 },
	{ "bit 22", UREG(eflags), 0x400202 }, { "bit 31", UREG(eflags), 0x80000202 },
};
#define NBADS (sizeof bads / sizeof bads[0])

/* Each unsafe value is refused, whether the call would also register
 * or deregister, and handler1 (argument 1) stays registered. */
static void unsafe_values(void)
{
	CHECK(swexn(TOP1, handler1, (void *)1, NULL) == 0);
	for (unsigned i = 0; i < NBADS; i++) {
		ureg_t u = good_ureg();
		*(unsigned *)((char *)&u + bads[i].field) = bads[i].value;
		int r1 = swexn_jump(TOP2, handler2, (void *)2, &u);
		int r2 = swexn_jump(NULL, NULL, NULL, &u);
		int still = fault_runs(1, (void *)1);
		if (!CHECK(r1 < 0 && r2 < 0 && still))
			tprintf("swexn_newureg: %s: %d %d %d\n", bads[i].what, r1, r2, still);
	}
}

/* An unreadable newureg, or a refused registration with a good one. */
static void other_refusals(void)
{
	ureg_t good = good_ureg();
	CHECK(swexn(TOP2, handler2, (void *)2, (ureg_t *)0x500000) < 0);
	CHECK(swexn(TOP2, handler2, (void *)2, (ureg_t *)0xDEAD0000) < 0);
	CHECK(swexn(NULL, NULL, NULL, (ureg_t *)0x00FFFFF0) < 0);
	CHECK(new_pages((void *)REGION, PAGE_SIZE) == 0);
	ureg_t *edge = (ureg_t *)(REGION + PAGE_SIZE - 40);	/* half mapped */
	CHECK(swexn(TOP2, handler2, (void *)2, edge) < 0);
	CHECK(remove_pages((void *)REGION) == 0);
	CHECK(swexn_jump((void *)0x500000, handler2, (void *)2, &good) < 0);
	CHECK(swexn_jump(TOP2, (swexn_handler_t)0x1000, (void *)2, &good) < 0);
	CHECK(fault_runs(1, (void *)1));
}

/* Loading registers while registering handler2 does both. */
static void load_and_register(void)
{
	ureg_t u = good_ureg();
	u.eflags |= CF | PF | AF | ZF | SF | DF | OF | AC | ID;
	CHECK(swexn_jump(TOP2, handler2, (void *)2, &u) == LANDED);
	CHECK(loaded(&u));
	CHECK(fault_runs(2, (void *)2));
}

/* Loading registers while deregistering: a later fault kills. */
static void load_and_deregister(void)
{
	int pid = fork();
	if (pid == 0) {
		ureg_t u = good_ureg();
		if (swexn_jump(NULL, NULL, NULL, &u) != LANDED || !loaded(&u))
			exit(1);
		poke(BAD_ADDR);
		exit(2);
	}
	int status = 0;
	CHECK(pid > 0 && wait(&status) == pid && status == -2);
}

int main(void)
{
	unsafe_values();
	other_refusals();
	load_and_register();
	load_and_deregister();
	test_done();
}
