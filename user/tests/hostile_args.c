/* runner: timeout=60 */
/* hostile_args.c: every vector from 0x41 to 0x8F, entered with a raw
 * `int`, with hostile %esi values: 0, -1, kernel addresses, the last
 * bytes below USER_MEM_START, unaligned and half-mapped pointers, and
 * packets (in read-only text, in rodata and in data) whose words point
 * into the kernel. Each result must be what docs/abi/ says for it,
 * every register but %eax must survive, and at the end the kernel's
 * frames, heap, tasks and threads are back at their baseline. Skipped:
 * calls that end the run or the thread (halt, poweroff, vanish,
 * task_vanish), that would block (getchar, a long sleep, deschedule on
 * a zero word - none of ours is zero), vectors without a gate
 * (vector_gates tests those), and wait with a valid pointer. */
#include <stddef.h>
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define REGION 0x40000000u
#define FILL 0x5A		/* every byte of the region */
#define FIRST_VEC 0x40
#define SNIPPET 16		/* bytes per vector in vec_snippets */

/*
 * vec_snippets + SNIPPET * (v - FIRST_VEC) is "int $v; ret"; for fork
 * and thread_fork the child vanishes at once instead of returning (a
 * thread_fork child must not touch its parent's stack).
 *
 * int hostile_call(int vec, unsigned esi, unsigned *clobbered): enter
 * vector vec with %esi = esi and known values in every other register;
 * *clobbered is non-zero if any of them changed.
 */
int hostile_call(int vec, unsigned esi, unsigned *clobbered);
extern const unsigned text_packet[];
__asm__(".text\n"
	"	.balign 16\n"
	"vec_snippets:\n"
	"	.set vec, 0x40\n"
	"	.rept 0x50\n"
	"	.balign 16\n"
	"	.if vec == 0x41 || vec == 0x52\n"
	"	int $vec\n	testl %eax, %eax\n	jnz 1f\n	int $0x60\n"
	"1:	ret\n"
	"	.else\n"
	"	int $vec\n	ret\n"
	"	.endif\n"
	"	.set vec, vec + 1\n"
	"	.endr\n"
	"hostile_call:\n"
	"	pushl %ebp\n	movl %esp, %ebp\n"
	"	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	movl 8(%ebp), %eax\n	subl $0x40, %eax\n	shll $4, %eax\n"
	"	addl $vec_snippets, %eax\n"
	"	movl 12(%ebp), %esi\n"
	"	pushl %ebp\n"
	"	movl $0xB0B0B0B0, %ebx\n	movl $0xC0C0C0C0, %ecx\n"
	"	movl $0xD0D0D0D0, %edx\n	movl $0xE0E0E0E0, %edi\n"
	"	movl $0xF0F0F0F0, %ebp\n"
	"	call *%eax\n"
	"	xorl $0xB0B0B0B0, %ebx\n"
	"	xorl $0xC0C0C0C0, %ecx\n	orl %ecx, %ebx\n"
	"	xorl $0xD0D0D0D0, %edx\n	orl %edx, %ebx\n"
	"	xorl $0xE0E0E0E0, %edi\n	orl %edi, %ebx\n"
	"	xorl $0xF0F0F0F0, %ebp\n	orl %ebp, %ebx\n"
	"	popl %ebp\n"
	"	xorl 12(%ebp), %esi\n	orl %esi, %ebx\n"
	"	movl 16(%ebp), %ecx\n	movl %ebx, (%ecx)\n"
	"	popl %edi\n	popl %esi\n	popl %ebx\n	popl %ebp\n"
	"	ret\n"
	"	.balign 4\n"
	"text_packet:\n"	/* read-only packet in the code */
	"	.long 0x00500000, 0x00500000, 0x00500000, 0x00500000, 0x00500000\n");

static const unsigned ro_packet[4] = { 0x500000, 0x500000, 0x500000, 0x500000 };
static unsigned kernel_packet[4];	/* {16, kernel, 16, 0}; reset per call */
static unsigned edge_packet[4];		/* {1, 0x00FFFFFF, 1, 0} */

/* The hostile %esi values; what each holds is described in main. */
enum { NVALUES = 13 };
static unsigned values[NVALUES];
static const char *const value_names[NVALUES] = {
	"0", "-1", "0x500000", "0x00FFFFFF", "0x00FFFFFC", "0x31337001",
	"2 bytes mapped", "4 bytes mapped", "text packet", "rodata packet",
	"text packet + 1", "data packet {16, kernel}", "data packet {1, 0x00FFFFFF}",
};

/*
 * What each vector must return for each value, one letter per value:
 * n negative, 0 zero, p positive, t the caller's tid, a anything,
 * s skipped. Integer arguments see the values as numbers (tids,
 * colours, ticks, addresses for remove_pages).
 */
struct rule {
	int vec;
	const char *want;
};

static const struct rule rules[] = {
	{ 0x41, "ppppppppppppp" },	/* fork: %esi ignored */
	{ 0x42, "nnnnnnnnnnnnn" },	/* exec */
	{ 0x44, "snnnnnnsnnnss" },	/* wait: one exited child waits meanwhile */
	{ 0x45, "n0nnnnnnnnnnn" },	/* yield: only -1 is a thread */
	{ 0x46, "nnnnnnn000000" },	/* deschedule: readable words are non-zero */
	{ 0x47, "nnnnnnnnnnnnn" },	/* make_runnable */
	{ 0x48, "ttttttttttttt" },	/* gettid */
	{ 0x49, "nnnnnnnnnnnnn" },	/* new_pages */
	{ 0x4A, "nnnnnnnnnnnnn" },	/* remove_pages */
	{ 0x4B, "0nsssssssssss" },	/* sleep: 0 returns, -1 fails */
	{ 0x4D, "nnnnnnnnnnnnn" },	/* readline */
	{ 0x4E, "nnnnnnnnnnnnn" },	/* print */
	{ 0x4F, "0nnnnnnnnnnnn" },	/* set_term_color: 0x00 is a colour */
	{ 0x50, "nnnnnnnnnnnnn" },	/* set_cursor_pos */
	{ 0x51, "nnnnnnnnnnnnn" },	/* get_cursor_pos */
	{ 0x52, "ppppppppppppp" },	/* thread_fork: %esi ignored */
	{ 0x53, "aaaaaaaaaaaaa" },	/* get_ticks */
	{ 0x54, "aaaaaaaaaaaaa" },	/* misbehave: any mode */
	{ 0x59, "aaaaaaaaaaaaa" },	/* set_status */
	{ 0x62, "nnnnnnnnnnnnn" },	/* readfile */
	{ 0x74, "nnnnnnnnnnnnn" },	/* swexn */
	{ 0x80, "nnnnnnnnnnnnn" },	/* debug_print */
	{ 0x81, "nnnnnnnnnnn0n" },	/* kstat: {16, ...} is a valid 16-byte struct */
	{ 0x83, "nnnnnnnnnnnnn" },	/* tasklist: no hostile packet is a valid buffer */
	{ 0x84, "nnnnnnnnnnnnn" },	/* fs: no hostile packet starts with an op */
	{ 0x85, "nnnnnnnnnnnnn" },	/* trace: no hostile packet holds an operation */
	{ 0x86, "nnnnnnnnnnnnn" },	/* devices: no hostile packet holds an operation */
	{ 0x87, "nnnnnnnnnnnnn" },	/* net: no card; no hostile packet holds an operation */
	{ 0x88, "nnnnnnnnnnnnn" },	/* reserved from here on */
	{ 0x89, "nnnnnnnnnnnnn" }, { 0x8A, "nnnnnnnnnnnnn" },
	{ 0x8B, "nnnnnnnnnnnnn" }, { 0x8C, "nnnnnnnnnnnnn" },
	{ 0x8D, "nnnnnnnnnnnnn" }, { 0x8E, "nnnnnnnnnnnnn" },
	{ 0x8F, "nnnnnnnnnnnnn" },
};
#define NRULES (sizeof rules / sizeof rules[0])

static int calls, wrong;
static int zombie;		/* the exited child present during wait */

static void reset_packets(void)
{
	kernel_packet[0] = 16, kernel_packet[1] = 0x500000;
	kernel_packet[2] = 16, kernel_packet[3] = 0;
	edge_packet[0] = 1, edge_packet[1] = 0x00FFFFFF;
	edge_packet[2] = 1, edge_packet[3] = 0;
}

static int as_wanted(char want, int r)
{
	switch (want) {
	case 'n': return r < 0;
	case '0': return r == 0;
	case 'p': return r > 0;
	case 't': return r == gettid();
	default: return 1;
	}
}

/* Clean up after a call that made a task or a thread. */
static void after_call(int vec, int r)
{
	if (vec == FORK_INT && r > 0)
		CHECK(wait(NULL) == r);
	if (vec == THREAD_FORK_INT && r > 0)
		while (yield(r) == 0)	/* until it has vanished */
			;
}

static void one_call(int vec, int i, char want)
{
	unsigned clobbered = 0;
	reset_packets();
	int r = hostile_call(vec, values[i], &clobbered);
	calls++;
	if (!as_wanted(want, r) || clobbered) {
		wrong++;
		tprintf("hostile_args: vector %#x, %%esi %s: result %d (want %c)%s\n", vec,
			value_names[i], r, want, clobbered ? ", registers changed" : "");
	}
	after_call(vec, r);
}

/* wait needs a child that has exited and must not be consumed. */
static void before_vector(int vec)
{
	if (vec != WAIT_INT)
		return;
	zombie = fork();
	if (zombie == 0)
		exit(9);
	while (yield(zombie) == 0)
		;
}

/* Undo what the calls may have changed; reap wait's child. */
static void after_vector(int vec)
{
	int status = 0;
	if (vec == WAIT_INT)
		CHECK(wait(&status) == zombie && status == 9);
	if (vec == SET_TERM_COLOR_INT)
		set_term_color(FGND_LGRAY | BGND_BLACK);
	if (vec == MISBEHAVE_INT)
		misbehave(-1);
	if (vec == SET_STATUS_INT)
		set_status(0);
}

static void fill_values(void)
{
	unsigned *v = values;
	*v++ = 0;
	*v++ = 0xFFFFFFFF;
	*v++ = 0x500000;			/* kernel */
	*v++ = 0x00FFFFFF;			/* straddles USER_MEM_START */
	*v++ = 0x00FFFFFC;			/* last kernel word */
	*v++ = 0x31337001;			/* unaligned, unmapped */
	*v++ = REGION + PAGE_SIZE - 2;		/* 2 readable bytes */
	*v++ = REGION + PAGE_SIZE - 4;		/* one readable word */
	*v++ = (unsigned)text_packet;		/* read-only code */
	*v++ = (unsigned)ro_packet;		/* rodata */
	*v++ = (unsigned)text_packet + 1;	/* unaligned: words 0x5000 */
	*v++ = (unsigned)kernel_packet;
	*v++ = (unsigned)edge_packet;
}

/* Every rule with every value it does not skip. */
static void sweep(void)
{
	CHECK(new_pages((void *)REGION, PAGE_SIZE) == 0);
	for (int i = 0; i < PAGE_SIZE; i++)
		((char *)REGION)[i] = FILL;
	fill_values();
	for (unsigned r = 0; r < NRULES; r++) {
		before_vector(rules[r].vec);
		for (int i = 0; i < NVALUES; i++)
			if (rules[r].want[i] != 's')
				one_call(rules[r].vec, i, rules[r].want[i]);
		after_vector(rules[r].vec);
	}
	tprintf("hostile_args: %d calls, %d wrong\n", calls, wrong);
	CHECK(wrong == 0);
	CHECK(remove_pages((void *)REGION) == 0);
}

/* The sweep runs in a child; once it is gone, nothing it did may
 * have left anything behind in the kernel. */
int main(void)
{
	kstat_t base;
	test_baseline(&base);
	test_in_child(sweep);
	CHECK(test_baseline_same(&base));
	test_done();
}
