/* runner: timeout=60 */
/* ldt_null.c: there is no LDT. Every selector with the table bit set
 * (all 8192 indices, RPL 3) is refused: loading it into %ds is a
 * general-protection fault naming the selector, as it is for %es, %fs,
 * %gs, %ss and a far call on a sample, and lar, lsl, verr and verw call
 * it invalid. Before the kernel loaded a null LDT, LDTR kept its reset
 * value, a table at linear 0 with limit 0xFFFF: these selectors read
 * kernel memory as descriptors. */
#include <stddef.h>
#include <syscall.h>
#include <ureg.h>
#include "testlib.h"

#define NSEL 8192
#define SAMPLE 97		/* every SAMPLE-th index for the other loads */
#define LOADED 0xFFFFFFFFu	/* a probe's result when nothing faulted */

/*
 * Probes: unsigned probe(unsigned sel). Each runs one instruction that
 * must fault with %esp at its return address; the handler then returns
 * on its behalf with the cause and error code (on_fault). A load that
 * succeeds puts the flat user segment back and returns LOADED.
 * probe_check instead returns which of lar, lsl, verr and verw said
 * valid, one bit each, and faults nowhere.
 */
unsigned probe_ds(unsigned), probe_es(unsigned), probe_fs(unsigned);
unsigned probe_gs(unsigned), probe_ss(unsigned), probe_lcall(unsigned);
unsigned probe_check(unsigned);
__asm__(".text\n"
	"probe_ds:\n	movl 4(%esp), %eax\n	movw %ax, %ds\n	jmp loaded\n"
	"probe_es:\n	movl 4(%esp), %eax\n	movw %ax, %es\n	jmp loaded\n"
	"probe_fs:\n	movl 4(%esp), %eax\n	movw %ax, %fs\n	jmp loaded\n"
	"probe_gs:\n	movl 4(%esp), %eax\n	movw %ax, %gs\n	jmp loaded\n"
	"probe_ss:\n	movl 4(%esp), %eax\n	movw %ax, %ss\n	jmp loaded\n"
	"probe_lcall:\n	movl 4(%esp), %eax\n	movl %eax, far+4\n	lcall *far\n"
	"loaded:\n"
	"	movw $0x2B, %ax\n	movw %ax, %ds\n	movw %ax, %es\n"
	"	movw %ax, %fs\n	movw %ax, %gs\n	movw %ax, %ss\n"
	"	movl $0xFFFFFFFF, %eax\n	ret\n"
	"probe_check:\n"
	"	pushl %ebx\n	movl 8(%esp), %ecx\n	xorl %ebx, %ebx\n"
	"	larl %ecx, %eax\n	setz %bl\n"
	"	lsll %ecx, %eax\n	setz %al\n	shlb $1, %al\n	orb %al, %bl\n"
	"	verr %cx\n	setz %al\n	shlb $2, %al\n	orb %al, %bl\n"
	"	verw %cx\n	setz %al\n	shlb $3, %al\n	orb %al, %bl\n"
	"	movl %ebx, %eax\n	popl %ebx\n	ret\n"
	".data\n"
	"far:	.long 0, 0\n"
	".text\n");

static char xstack[4096] __attribute__((aligned(16)));

/* A probe faulted: return (cause << 16 | error code) from it. */
static void on_fault(void *arg, ureg_t *u)
{
	(void)arg;
	u->eax = u->cause << 16 | (u->error_code & 0xFFFF);
	u->eip = *(unsigned *)u->esp;
	u->esp += 4;
	swexn(&xstack[sizeof xstack], on_fault, NULL, u);
}

/* The selector of LDT index i, RPL 3. */
static unsigned ldt_sel(unsigned i)
{
	return i << 3 | 4 | 3;
}

/* Whether probe(selector of index i) is a #GP naming the selector. */
static int one_refused(const char *what, unsigned (*probe)(unsigned), unsigned i)
{
	unsigned sel = ldt_sel(i), r = probe(sel);
	if (r == (SWEXN_CAUSE_PROTFAULT << 16 | (sel & 0xFFFC)))
		return 1;
	tprintf("ldt_null: %s %#x: %s %#x\n", what, sel,
		r == LOADED ? "loaded!" : "cause << 16 | error", r);
	return 0;
}

/* Run probe on every step-th index and on the last one; returns how
 * many were not refused. */
static int refused(const char *what, unsigned (*probe)(unsigned), unsigned step)
{
	int bad = 0;
	for (unsigned i = 0; i < NSEL && bad < 8; i += step)
		bad += !one_refused(what, probe, i);
	if ((NSEL - 1) % step)
		bad += !one_refused(what, probe, NSEL - 1);
	return bad;
}

int main(void)
{
	CHECK(swexn(&xstack[sizeof xstack], on_fault, NULL, NULL) == 0);
	CHECK(refused("mov to %ds", probe_ds, 1) == 0);	/* all of them */
	CHECK(refused("mov to %es", probe_es, SAMPLE) == 0);
	CHECK(refused("mov to %fs", probe_fs, SAMPLE) == 0);
	CHECK(refused("mov to %gs", probe_gs, SAMPLE) == 0);
	CHECK(refused("mov to %ss", probe_ss, SAMPLE) == 0);
	CHECK(refused("lcall to", probe_lcall, SAMPLE) == 0);
	int valid = 0;
	for (unsigned i = 0; i < NSEL; i++) {
		unsigned r = probe_check(ldt_sel(i));
		if (r && valid++ < 8)
			tprintf("ldt_null: selector %#x: lar/lsl/verr/verw say %#x\n", ldt_sel(i), r);
	}
	CHECK(valid == 0);
	/* The user's own selectors still check out, so the probe works. */
	CHECK(probe_check(0x2B) == 0xF);
	swexn(NULL, NULL, NULL, NULL);
	test_done();
}
