/* vector_gates.c: only the system calls (docs/abi/README.md §7), Fable's
 * 0x80-0x8F and the int3/into exceptions 3 and 4 have user gates. `int`
 * on any other vector 0x00-0xFF - exceptions, IRQs, 0x40, the retired
 * and foreign Pebbles vectors - raises a general-protection fault
 * (cause 0x0D, error code vector * 8 + 2, eip at the `int`), which a
 * swexn handler receives and which otherwise kills the thread: a child
 * task ends with status -2. `int $3` and `int $4` report BREAKPOINT and
 * OVERFLOW with eip after the instruction. */
#include <stddef.h>
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define SNIPPET 4		/* bytes per vector in int_snippets */
#define NOT_SEEN 0xFF

/* int_snippets + SNIPPET * v is "int $v; ret", spelt in bytes because
 * the assembler would turn int $3 into the one-byte int3. */
extern char int_snippets[];
__asm__(".text\n"
	"	.balign 4\n"
	"int_snippets:\n"
	"	.set vec, 0\n"
	"	.rept 256\n"
	"	.balign 4\n"
	"	.byte 0xCD, vec\n	ret\n"
	"	.set vec, vec + 1\n"
	"	.endr\n");

/* The vectors with user gates; nothing else may have one. */
static const unsigned char calls[] = {
	0x41, 0x42, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D,
	0x4E, 0x4F, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x57, 0x59, 0x60, 0x62,
	0x74,
};

/* Vectors whose `int` kills a child with no handler. */
static const unsigned char killers[] = {
	0x40, 0x43, 0x56, 0x58, 0x61, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B,
	0x70, 0x00, 0x0E, 0x20, 0x21, 0x30, 0x7F, 0x90, 0xFF,
};

static char xstack[4096] __attribute__((aligned(16)));
#define TOP (xstack + sizeof xstack)
static ureg_t seen;

static void (*snippet(int v))(void)
{
	return (void (*)(void))(int_snippets + SNIPPET * v);
}

static int has_user_gate(int v)
{
	if (v == 3 || v == 4 || (v >= 0x80 && v <= 0x8F))
		return 1;
	for (unsigned i = 0; i < sizeof calls; i++)
		if (calls[i] == v)
			return 1;
	return 0;
}

/* Note the exception and resume at the snippet's ret. */
static void handler(void *arg, ureg_t *u)
{
	seen = *u;
	u->eip = (unsigned)arg + 2;
	swexn(NULL, NULL, NULL, u);
}

/* int $v with the handler; does it report what it must? */
static int reports_right(int v)
{
	unsigned at = (unsigned)snippet(v);
	seen.cause = NOT_SEEN;
	swexn(TOP, handler, (void *)at, NULL);
	snippet(v)();
	if (v == 3 || v == 4)
		return seen.cause == (unsigned)v && seen.eip == at + 2;
	return seen.cause == SWEXN_CAUSE_PROTFAULT && seen.cr2 == 0 &&
	       seen.error_code == (unsigned)(v * 8 + 2) && seen.eip == at;
}

static void handled(void)
{
	int wrong = 0;
	for (int v = 0; v < 256; v++) {
		if (has_user_gate(v) && v != 3 && v != 4)
			continue;
		if (!reports_right(v)) {
			wrong++;
			tprintf("vector_gates: int $%#x: cause %#x error %#x eip %#x\n", v,
				seen.cause, seen.error_code, seen.eip);
		}
	}
	CHECK(wrong == 0);
}

static int kill_status(int v)
{
	int pid = fork();
	if (pid == 0) {
		swexn(NULL, NULL, NULL, NULL);
		snippet(v)();
		exit(1);
	}
	int status = 0;
	CHECK(pid > 0 && wait(&status) == pid);
	return status;
}

int main(void)
{
	handled();
	for (unsigned i = 0; i < sizeof killers; i++)
		if (!CHECK(kill_status(killers[i]) == -2))
			tprintf("vector_gates: int $%#x did not kill\n", killers[i]);
	test_done();
}
