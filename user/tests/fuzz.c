/* runner: timeout=300 args=calls=200000 */
/*
 * fuzz.c: the system-call fuzzer (README.md, "Reproducing a fuzzer
 * failure").
 *
 * Runs of fuzz tasks, two at a time, each with several worker threads,
 * make random system calls: any vector from 0x40 to 0x8F but halt and
 * poweroff (the file calls' ops too, making things only under /tmp,
 * which is emptied at the end), with arguments drawn from values that break kernels - 0, -1,
 * kernel addresses, the edge at USER_MEM_START, unaligned pointers,
 * read-only text, buffers that run off the end of a region, huge and
 * negative lengths, packets whose words point at other packets. Workers
 * fork (the child goes on fuzzing in a task of its own) and thread_fork,
 * and every run perturbs scheduling with a misbehave mode.
 *
 * What must hold: the kernel survives; every register but %eax (the
 * general ones, %eflags, %ds..%gs) survives every call, and a failure
 * names the first that changed; a vector without a gate raises #GP
 * (caught by the worker's swexn handler, which steps over the int);
 * calls whose result follows
 * from their arguments alone give that result (expect() below). When
 * everything is gone, the kernel's frames, heap, tasks and threads are
 * back at their baseline.
 *
 * Reproducible: what worker W of a run does follows from the run's seed
 * and W alone (how workers interleave does not). Each call is made with
 * %ebx = 0xFB000000 | W, %ebp = the run's seed and %edi = the call's
 * number, registers the kernel ignores, so a panic report, which shows
 * the user registers of the thread that was running, names the call.
 *
 * Options (name=value words): seed= master seed; calls= system calls to
 * make in all (counted by kstat); minutes= run that long instead (soak;
 * prints calls per second); tasks= fuzz tasks at a time; workers= per
 * task; run= one run of exactly this seed; first= number of its first
 * worker; verbose=1 print every call before making it.
 */
#include <fable.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thr_internals.h>
#include <unistd.h>
#include "stress.h"
#include "testlib.h"

#define USER_MEM_START 0x01000000u
#define USER_DATA_SEL 0x2B		/* %ds, %es, %fs, %gs, %ss of every program */
#define PAGE_MASK (PAGE_SIZE - 1)
#define ARENA 0x50000000u		/* fuzzed calls map and unmap here */
#define ARENA_STEP 0x00100000u
#define ARENA_SLOTS 8
#define STACK_ZONE 0xFFF00000u		/* where the main thread's stack grows */
#define NAME_AT_END (ARENA + PAGE_SIZE - 10)	/* "readme.txt", no NUL: unmapped */
#define ARGV_AT_END (ARENA + ARENA_STEP + 2 * PAGE_SIZE - 4)	/* {"x", unmapped} */
#define POOL_WORDS 1024			/* words the fuzzed calls point into */
#define SPILL_WORDS 16384		/* after the targets: what outputs may overrun */
#define PACKET_WORDS 5
#define MAX_SLOTS 32			/* worker threads a run may start */
#define STACK_WORDS 2048
#define XSTACK_WORDS 1024
#define UREG_WORDS 20

#define GP_MARK 0x6E6F6770u		/* "result" of a vector with no gate */
#define MAKING 0x7FFFFFFF		/* describe(): no result yet */
#define TAG 0xFB000000u			/* %ebx: fuzz call of worker | id */
#define RUN_DONE 0x0F0F0000		/* a run's exit status | its failures */
#define RARE 64			/* V_RARE calls: 1 in RARE picks is kept */
#define CHILD_CALLS 400			/* calls a forked child makes */
#define CHILD_TICKS 500			/* a forked child's watchdog */
#define MAX_GEN 2			/* forks from forks from a run */
#define RUN_CALLS 25000			/* calls per run */
#define RUN_TICKS 3000
#define POLL_TICKS 5
#define STUCK_POLLS 20			/* no progress for this long: stuck */
#define SOAK_REPORT_TICKS 3000
#define MAX_TASKS 4

enum { V_PACKET = 1, V_RARE = 2, V_RANGE = 4, V_NOGATE = 8 };

#if defined(FS_INT)
#define FIRST_RESERVED (FS_INT + 1)
#elif defined(TASKLIST_INT)
#define FIRST_RESERVED (TASKLIST_INT + 1)
#else
#define FIRST_RESERVED 0x83
#endif

/* One entry per system call, plus V_RANGE: some vector from vec to
 * 0x8F (the reserved ones), and V_NOGATE: some vector with no gate.
 * kinds: one letter per argument word, see value(). */
struct vecinfo {
	unsigned char vec, weight, flags;
	const char *kinds;
};

static const struct vecinfo table[] = {
	{ 0x41, 4, 0, "" },			/* fork */
	{ 0x42, 25, V_PACKET, "sv" },		/* exec */
	{ 0x44, 25, 0, "w" },			/* wait */
	{ 0x45, 40, 0, "t" },			/* yield */
	{ 0x46, 25, 0, "f" },		/* deschedule */
	{ 0x47, 40, 0, "t" },			/* make_runnable */
	{ 0x48, 15, 0, "" },			/* gettid */
	{ 0x49, 70, V_PACKET, "al" },		/* new_pages */
	{ 0x4A, 60, 0, "a" },			/* remove_pages */
	{ 0x4B, 25, 0, "k" },		/* sleep */
	{ 0x4C, 1, 0, "" },		/* getchar */
	{ 0x4D, 15, V_PACKET, "lw" },	/* readline */
	{ 0x4E, 40, V_PACKET, "pr" },		/* print */
	{ 0x4F, 20, 0, "c" },			/* set_term_color */
	{ 0x50, 20, V_PACKET, "yx" },		/* set_cursor_pos */
	{ 0x51, 30, V_PACKET, "ww" },		/* get_cursor_pos */
	{ 0x52, 15, 0, "" },			/* thread_fork */
	{ 0x53, 10, 0, "" },			/* get_ticks */
	{ 0x54, 8, 0, "m" },			/* misbehave */
	{ 0x57, 1, V_RARE, "i" },		/* task_vanish */
	{ 0x59, 10, 0, "i" },			/* set_status */
	{ 0x60, 2, V_RARE, "" },		/* vanish */
	{ 0x62, 50, V_PACKET, "swll" },		/* readfile */
	{ 0x74, 40, V_PACKET, "ehiu" },		/* swexn */
	{ 0x80, 40, V_PACKET, "pr" },		/* debug_print */
	{ 0x81, 30, 0, "w" },			/* kstat */
#ifdef TASKLIST_INT
	{ TASKLIST_INT, 20, V_PACKET, "wl" },	/* tasklist */
#endif
#ifdef DEVICES_INT
	{ DEVICES_INT, 15, V_PACKET, "owl" },	/* devices: pci_list */
#endif
#ifdef NET_INT
	{ NET_INT, 10, V_PACKET, "owl" },	/* net: {op, buf or address, timeout} */
#endif
#ifdef TRACE_INT
	{ TRACE_INT, 20, V_PACKET, "ywl" },	/* trace: {op, buf or mask, max} */
#endif
#ifdef FS_INT
	{ FS_INT, 50, V_PACKET, "oFFFF" },	/* files: {op, args} (pread: 4) */
#endif
	{ FIRST_RESERVED, 30, V_RANGE, "i" },	/* reserved: negative */
	{ 0, 60, V_NOGATE, "i" },		/* no gate: #GP */
};
#define NTABLE (int)(sizeof table / sizeof table[0])

/* A random stream, and what the values it picks refer to. */
struct gen {
	unsigned rng;
	int tid;
};

/* A worker thread and its stacks. */
struct slot {
	unsigned stack[STACK_WORDS];
	unsigned xstack[XSTACK_WORDS];	/* its swexn handler runs here */
	unsigned packet[PACKET_WORDS];	/* [worker] packets it passes in %esi */
	struct gen g;			/* [worker] */
	int id;				/* [coordinator] worker number */
	int used;			/* [coordinator] a thread was started on it */
	volatile int tid;		/* [worker] */
	volatile unsigned calls;	/* [worker] calls made */
	volatile int fails;		/* [worker] failed checks */
	unsigned index, vec;		/* [worker] the call made last */
	unsigned ticks;			/* [worker] get_ticks seen last */
	int gen;			/* [worker] forks since the run began */
	int left;			/* [worker] calls left in a forked child */
	int safe;			/* [worker] make no call that may block */
	unsigned seen;			/* [coordinator] calls at the last poll */
	int idle;			/* [coordinator] polls without progress */
};

/* The call being made. */
struct call {
	const struct vecinfo *info;
	unsigned vec, esi;
	unsigned w[PACKET_WORDS];	/* the packet, if esi is the slot's */
	char want;			/* see result_ok() */
};

/* Options and the state of this task's run. */
static struct {
	unsigned seed, calls, minutes, run_seed, tasks, workers, first, verbose;
} opt = { 0xF022, 200000, 0, 0, 2, 4, 0, 0 };

static struct {
	unsigned seed;
	int coord_tid;
	int next_id;		/* number of the next worker started */
} run;

static struct slot slots[MAX_SLOTS];
/*
 * Everything the fuzzed calls may point at that the kernel may write to
 * (the value kinds mix, so a name or a flag may be passed as a buffer).
 * What follows catches outputs that run past the end (readfile of the
 * listing, tasklist, a swexn frame): nothing of ours is ever overwritten.
 */
static struct {
	unsigned pool[POOL_WORDS];	/* words of every kind; packets */
	char long_name[300];		/* 255 letters, then 44 more */
	const char *many_args[600];	/* more than exec's 512 */
	volatile unsigned zero_word;	/* deschedule on it blocks */
	unsigned spill[SPILL_WORDS];
} tg __attribute__((aligned(PAGE_SIZE)));
static unsigned wd_stack[1024];		/* a forked child's watchdog */
static const unsigned one_word = 1;	/* deschedule on it returns */
static unsigned char gateless[0x50];	/* vectors with no gate */
static int ngateless;

/* ---- assembly: the call itself, the landing pad, handler entry ----- */

/*
 * fz_call(vec, esi, ebx, ebp, edi, after): enter vector vec with those
 * registers and %ecx, %edx set to known values (FZ_ECX, FZ_EDX); after
 * gets every register but %eax as the call left it (enum reg's order),
 * %eflags before and after, and the data segment registers. Each vector has
 * a 16-byte snippet "int $v; ret"; thread_fork's child vanishes at once
 * (it must not touch the stack it shares with its parent).
 * fz_landing: where a successful swexn register load sends a worker.
 */
enum reg { R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP, R_EFLAGS, R_DS, R_ES, R_FS, R_GS,
	   R_EFLAGS_BEFORE, NREGS };
#define FZ_ECX 0xC0DEC0DEu
#define FZ_EDX 0xD00DD00Du
int fz_call(unsigned vec, unsigned esi, unsigned ebx, unsigned ebp, unsigned edi,
	    unsigned after[NREGS]);
extern const char fz_snippets[], fz_snippets_end[], fz_landing[];
extern const char etext[], _end[];	/* the linker's: end of code, of bss */
extern const unsigned fz_text_block[];
__asm__(".text\n"
	"	.balign 16\n"
	"fz_snippets:\n"
	"	.set vec, 0x40\n"
	"	.rept 0x50\n"
	"	.balign 16\n"
	"	.if vec == 0x52\n"
	"	int $vec\n	testl %eax, %eax\n	jnz 1f\n	int $0x60\n"
	"1:	ret\n"
	"	.else\n"
	"	int $vec\n	ret\n"
	"	.endif\n"
	"	.set vec, vec + 1\n"
	"	.endr\n"
	"fz_snippets_end:\n"
	"fz_landing:\n"
	"	int $0x60\n"
	"fz_call:\n"
	"	pushl %ebp\n	movl %esp, %ebp\n"
	"	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	movl 8(%ebp), %eax\n	subl $0x40, %eax\n	shll $4, %eax\n"
	"	addl $fz_snippets, %eax\n"
	"	movl 12(%ebp), %esi\n	movl 16(%ebp), %ebx\n	movl 24(%ebp), %edi\n"
	"	movl $0xC0DEC0DE, %ecx\n	movl $0xD00DD00D, %edx\n"
	"	pushfl\n"			/* %eflags at the int (movl keeps them) */
	"	pushl %ebp\n	movl 20(%ebp), %ebp\n"
	"	call *%eax\n"
	"	pushfl\n"
	"	xchgl %ebp, 4(%esp)\n"		/* the frame back; the call's %ebp saved */
	"	pushl %edx\n	movl 28(%ebp), %edx\n"
	"	movl %ebx, 0(%edx)\n	movl %ecx, 4(%edx)\n	popl 8(%edx)\n"
	"	movl %esi, 12(%edx)\n	movl %edi, 16(%edx)\n"
	"	popl 24(%edx)\n	popl 20(%edx)\n	popl 44(%edx)\n"
	"	movw %ds, %cx\n	movzwl %cx, %ecx\n	movl %ecx, 28(%edx)\n"
	"	movw %es, %cx\n	movzwl %cx, %ecx\n	movl %ecx, 32(%edx)\n"
	"	movw %fs, %cx\n	movzwl %cx, %ecx\n	movl %ecx, 36(%edx)\n"
	"	movw %gs, %cx\n	movzwl %cx, %ecx\n	movl %ecx, 40(%edx)\n"
	"	popl %edi\n	popl %esi\n	popl %ebx\n	popl %ebp\n"
	"	ret\n"
	"	.balign 4\n"
	"fz_text_block:\n"	/* read-only words in the code */
	"	.long 0x00500000, 0x00FFFFFC, 16, 0x01000000, 0xFFFFFFFF, 0, 4096, 0x23\n");

/* ---- random values ------------------------------------------------- */

static unsigned rnd(struct gen *g)
{
	unsigned x = g->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return g->rng = x;
}

static unsigned below(struct gen *g, unsigned n)
{
	return rnd(g) % n;
}

#define PICK(g, a) ((a)[below(g, sizeof(a) / sizeof((a)[0]))])

/* Any word, but none that points into this program or the top of user
 * space (the coordinator's stack): a call that wrote there would wreck
 * the fuzzer, not the kernel. */
static unsigned random_word(struct gen *g)
{
	unsigned w = rnd(g);
	if ((w >= USER_MEM_START && w < (unsigned)_end) || w >= STACK_ZONE)
		w ^= 0x40000000;
	return w;
}

/* A well-stirred non-zero seed from two numbers. */
static unsigned mix(unsigned a, unsigned b)
{
	unsigned h = a ^ (b * 0x9E3779B9u);
	h ^= h >> 16;
	h *= 0x85EBCA6Bu;
	h ^= h >> 13;
	h *= 0xC2B2AE35u;
	h ^= h >> 16;
	return h ? h : 1;
}

static const unsigned ints[] = {
	0, 1, 2, 3, 4, 7, 8, 16, 31, 64, 255, 256, 1023, 4095, 4096, 4097, 65536,
	0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFF000, 0x00FFFFFF,
	0x01000000, 0x00500000, 0x40000000,
};
static const unsigned lens[] = {
	0, 1, 2, 3, 4, 8, 40, 44, 80, 1023, 4095, 4096, 4097, 8192, 0x10000,
	0x100000, 0x4000000, 0x40000000, 0x7FFFF000, 0x7FFFFFFF, 0x80000000,
	0xFFFFFFFF, 0xFFFFF000,
};
static const unsigned kernel_addrs[] = {
	0, 4, 0x1000, 0xB8000, 0x00100000, 0x00500000, 0x00FFF000, 0x00FFFFF0,
	0x00FFFFFC, 0x00FFFFFF,
};
static const unsigned odd_addrs[] = {
	0x01000000, 0xFFFFF000, 0xFFFFFFFC, 0xFFFFFFFF, 0xC0000000, 0x31337001,
	0x40000000, 0x7FFFFFFF,
};
static const unsigned arena_offsets[] = {
	0, 1, 2, 4, PAGE_SIZE - 16, PAGE_SIZE - 8, PAGE_SIZE - 4, PAGE_SIZE - 2,
	PAGE_SIZE - 1, PAGE_SIZE, 2 * PAGE_SIZE - 3, 3 * PAGE_SIZE - 1,
};
static const unsigned tick_values[] = {
	0, 0, 1, 1, 2, 3, 5, 0xFFFFFFFF, 0xFFFFFFFE, 0x80000000, 0x7FFFFFFF, 1000,
};
static const unsigned modes[] = {
	0xFFFFFFFF, 0, 1, 2, 3, 4, 63, 64, 0x80000000, 0x7FFFFFFF,
};
static const char *const names[] = {
	"", ".", "readme.txt", "no such file", "readme.txt ", "/", "readme.tx",
};
static const char *const argv_ok[] = { "readme.txt", "a", NULL };
static const char *const argv_none[] = { NULL };
static const char *const argv_kernel[] = { "x", (const char *)0x00500000, NULL };

static unsigned pool_ptr(struct gen *g)
{
	unsigned p = (unsigned)&tg.pool[below(g, POOL_WORDS)];
	return below(g, 8) ? p : p + 1 + below(g, 3);
}

/* In one of the arena's slots, often right at the end of a mapping. */
static unsigned arena_ptr(struct gen *g)
{
	return ARENA + below(g, ARENA_SLOTS) * ARENA_STEP + PICK(g, arena_offsets);
}

/* Readable, but not writable: code, rodata. */
static unsigned text_ptr(struct gen *g)
{
	switch (below(g, 4)) {
	case 0: return (unsigned)fz_text_block;
	case 1: return (unsigned)fz_text_block + 1;
	case 2: return (unsigned)ints;
	default: return (unsigned)PICK(g, names);
	}
}

/* A pointer to pass as a buffer or out-parameter. */
static unsigned buffer(struct gen *g)
{
	switch (below(g, 8)) {
	case 0: case 1: case 2: return pool_ptr(g);
	case 3: case 4: return arena_ptr(g);
	case 5: return PICK(g, kernel_addrs);
	case 6: return text_ptr(g);
	default: return PICK(g, odd_addrs);
	}
}

static unsigned string(struct gen *g)
{
	switch (below(g, 10)) {
	case 0: case 1: case 2: case 3: return (unsigned)PICK(g, names);
	case 4: return (unsigned)tg.long_name + below(g, 2) * 45;
	case 5: case 6: return pool_ptr(g);
	case 7: return arena_ptr(g);
	case 8: return NAME_AT_END;
	default: return PICK(g, kernel_addrs);
	}
}

#ifdef FS_INT
/* Paths the file calls may create things at: all under /tmp (or
 * relative, from a directory a worker went to), removed at the end. */
static const char *const fs_paths[] = {
	"/tmp/fz", "/tmp/fz/a", "/tmp/fz/b", "/tmp/fzl", "/tmp", "/tmp/fz/../fz/a", "fz",
	"..", "/", "readme.txt", "/tmp/fzl/a",
};

/* An op word: mostly a real one, but never FS_PIPE (a task with a pipe
 * on descriptor 1 and no reader draining it blocks in every print). */
static unsigned fs_op(struct gen *g)
{
	static const unsigned odd[] = { 0, FS_NOPS, 0xFFFFFFFF, 0x80000003 };
	if (below(g, 10) == 0)
		return PICK(g, odd);
	unsigned op = 1 + below(g, FS_NOPS - 1);
	return op == FS_PIPE ? FS_DUP2 : op;
}

/* An argument of a file call: a descriptor, a path, a buffer, a length,
 * open's flags, or anything. */
static unsigned fs_arg(struct gen *g)
{
	switch (below(g, 9)) {
	case 0: case 1: return below(g, FS_FD_MAX + 4);
	case 2: case 3: return (unsigned)PICK(g, fs_paths);
	case 4: return buffer(g);
	case 5: return below(g, 82);
	case 6: return below(g, 4) | (below(g, 2) * O_CREAT) | (below(g, 2) * O_TRUNC) |
		       (below(g, 4) == 0) * O_EXCL | (below(g, 4) == 0) * O_APPEND;
	case 7: return string(g);
	default: return random_word(g);
	}
}
#endif

static unsigned argv(struct gen *g)
{
	switch (below(g, 8)) {
	case 0: return (unsigned)argv_ok;
	case 1: return (unsigned)argv_none;
	case 2: return (unsigned)argv_kernel;
	case 3: return (unsigned)tg.many_args;
	case 4: case 5: return pool_ptr(g);
	case 6: return below(g, 2) ? arena_ptr(g) : ARGV_AT_END;
	default: return PICK(g, kernel_addrs);
	}
}

/* A page address for new_pages and remove_pages. */
static unsigned page_addr(struct gen *g)
{
	switch (below(g, 8)) {
	case 0: case 1: case 2: case 3:
		return ARENA + below(g, ARENA_SLOTS) * ARENA_STEP;
	case 4: return PICK(g, kernel_addrs);
	case 5: return PICK(g, odd_addrs);
	case 6: return random_word(g) & ~PAGE_MASK;
	default: return arena_ptr(g);
	}
}

static unsigned tid_value(struct gen *g)
{
	static const unsigned odd_tids[] = { 0, 0xFFFFFFFF, 1, 0x7FFFFFFF, 0x80000000 };
	switch (below(g, 8)) {
	case 0: return g->tid;
	case 1: case 2: return slots[below(g, MAX_SLOTS)].tid;
	case 3: return run.coord_tid;
	case 4: return g->tid + 1;
	case 5: return g->tid - 1;
	case 6: return PICK(g, odd_tids);
	default: return below(g, 2000);
	}
}

/* deschedule's flag: a zero word blocks until someone make_runnables us. */
static unsigned flag_ptr(struct gen *g)
{
	switch (below(g, 6)) {
	case 0: return (unsigned)&tg.zero_word;
	case 1: return (unsigned)&one_word;
	case 2: case 3: return pool_ptr(g);
	case 4: return PICK(g, kernel_addrs);
	default: return arena_ptr(g);
	}
}

/* swexn's newureg: mostly none; rarely the register image at tg.pool[0]
 * (a load that works ends the worker). */
static unsigned ureg_ptr(struct gen *g)
{
	if (below(g, RARE) == 0)
		return (unsigned)tg.pool;
	switch (below(g, 8)) {
	case 0: return (unsigned)tg.pool + 2;
	case 1: return pool_ptr(g);
	case 2: case 3: return buffer(g);
	default: return 0;
	}
}

static unsigned esp3_value(struct gen *g)
{
	static const unsigned odd[] = { 0, 1, USER_MEM_START + 92, 0xFFFFFFFF, 0xFFFFF000 };
	switch (below(g, 5)) {
	case 0: return PICK(g, odd);
	case 1: return (unsigned)&tg.pool[POOL_WORDS] - below(g, 8);
	case 2: return arena_ptr(g);
	case 3: return PICK(g, kernel_addrs);
	default: return text_ptr(g);
	}
}

static unsigned handler_value(struct gen *g)
{
	static const unsigned odd[] = { 0, USER_MEM_START, 0x00FFFFFF, 0xFFFFFFFF };
	switch (below(g, 4)) {
	case 0: return PICK(g, odd);
	case 1: return (unsigned)fz_landing;
	case 2: return PICK(g, kernel_addrs);
	default: return text_ptr(g);
	}
}

static unsigned any_value(struct gen *g);

/*
 * A value of the given kind: i integer, l length, p output length
 * (mostly short: the bytes end up on serial), a page address, r/w
 * buffer, s string, v argument vector, t tid, k ticks, c colour, y row,
 * x column, m misbehave mode, f deschedule flag, u register image,
 * e exception stack, h handler, o operation word (of an op-word call:
 * mostly 0, a valid one). One in five is of some other kind.
 */
static unsigned value(struct gen *g, char kind)
{
#ifdef FS_INT
	if (kind == 'o')
		return fs_op(g);	/* never another kind: see fs_op */
#endif
	if (below(g, 5) == 0)
		return any_value(g);
	switch (kind) {
	case 'l': return PICK(g, lens);
	case 'p': return below(g, 8) ? below(g, 82) : PICK(g, lens);
	case 'a': return page_addr(g);
	case 'r': case 'w': return buffer(g);
	case 's': return string(g);
	case 'v': return argv(g);
	case 't': return tid_value(g);
	case 'k': return PICK(g, tick_values);
	case 'c': return below(g, 4) ? below(g, 256) : PICK(g, ints);
	case 'y': return below(g, 4) ? below(g, 27) - 1 : PICK(g, ints);
	case 'x': return below(g, 4) ? below(g, 82) - 1 : PICK(g, ints);
	case 'm': return PICK(g, modes);
	case 'f': return flag_ptr(g);
	case 'u': return ureg_ptr(g);
	case 'e': return esp3_value(g);
	case 'h': return handler_value(g);
	case 'o': return below(g, 2) ? 0 : PICK(g, ints);
#ifdef FS_INT
	case 'F': return fs_arg(g);
#endif
	default: return below(g, 2) ? PICK(g, ints) : random_word(g);
	}
}

static unsigned any_value(struct gen *g)
{
	static const char kinds[] = "ilparsvtkcymfueh";
	return value(g, kinds[below(g, sizeof kinds - 1)]);
}

/* ---- the register image swexn may load ----------------------------- */

/* A plausible ureg at tg.pool[0]: it passes the kernel's checks unless a
 * field was spoiled, and sends the thread to fz_landing (vanish). */
static void make_ureg(struct gen *g)
{
	ureg_t *u = (ureg_t *)tg.pool;
	memset(u, 0, sizeof *u);
	u->ds = u->es = u->fs = u->gs = u->ss = USER_DATA_SEL;
	u->cs = 0x23;
	u->eflags = 0x202;
	u->eip = (unsigned)fz_landing;
	u->esp = any_value(g);
	if (below(g, 2)) {
		unsigned spoil = below(g, UREG_WORDS);
		if (spoil != 15)	/* eip stays the landing pad */
			tg.pool[spoil] = any_value(g);
	}
}

/* Between calls: a pool word changes, and now and then the ureg. */
static void stir_pool(struct gen *g)
{
	tg.pool[UREG_WORDS + below(g, POOL_WORDS - UREG_WORDS)] = any_value(g);
	if (below(g, 32) == 0)
		make_ureg(g);
}

/* ---- what a call must give ----------------------------------------- */

static int user_ptr(unsigned p)
{
	return p >= USER_MEM_START;
}

/* new_pages(addr, len) that must fail whatever the state. */
static int bad_pages(unsigned addr, unsigned len)
{
	return (addr & PAGE_MASK) || (int)len <= 0 || (len & PAGE_MASK) ||
	       !user_ptr(addr) || addr + (len - 1) < addr;
}

/* Rules that need only the value in %esi. '?' if none applies. */
static char expect_esi(const struct slot *s, const struct call *c)
{
	int v = (int)c->esi;
	switch (c->vec) {
	case GETTID_INT: return 't';
	case EXEC_INT: return 'n';	/* when exec returns, it failed */
	case WAIT_INT: return v && !user_ptr(c->esi) ? 'n' : '?';
	case DESCHEDULE_INT:
	case KSTAT_INT: return user_ptr(c->esi) ? '?' : 'n';
	case REMOVE_PAGES_INT:
		return !user_ptr(c->esi) || (c->esi & PAGE_MASK) ? 'n' : '?';
	case SLEEP_INT: return v < 0 ? 'n' : v == 0 ? '0' : '?';
	case SET_TERM_COLOR_INT: return c->esi <= 0xFF ? '0' : 'n';
	case YIELD_INT: return v == -1 || v == s->tid ? '0' : '?';
	case MAKE_RUNNABLE_INT: return v == s->tid ? 'n' : '?';
	}
	return '?';
}

/* Rules that need the packet's words (a is the slot's own packet). */
static char expect_packet(unsigned vec, const unsigned *a)
{
	int n = (int)a[0];
	switch (vec) {
	case NEW_PAGES_INT: return bad_pages(a[0], a[1]) ? 'n' : '?';
	case PRINT_INT:
	case READLINE_INT:
	case DEBUG_PRINT_INT: return n < 0 || n > 4096 ? 'n' : n == 0 ? '0' : '?';
	case SET_CURSOR_POS_INT: return a[0] < 25 && a[1] < 80 ? '0' : 'n';
	case GET_CURSOR_POS_INT: return user_ptr(a[0]) && user_ptr(a[1]) ? '?' : 'n';
	case READFILE_INT:
		return (int)a[2] < 0 || (int)a[3] < 0 || !user_ptr(a[0]) ? 'n' : '?';
	case SWEXN_INT: return a[0] && a[1] && !user_ptr(a[1]) ? 'n' : '?';
#ifdef TASKLIST_INT
	case TASKLIST_INT: return (int)a[1] < 0 ? 'n' : '?';
#endif
#ifdef DEVICES_INT
	case DEVICES_INT: return a[0] != DEVICES_PCI_LIST || (int)a[2] < 0 ? 'n' : '?';
#endif
#ifdef NET_INT
	case NET_INT: return a[0] > NET_OP_LAST ? 'n' : '?';
#endif
#ifdef TRACE_INT
	case TRACE_INT:
		return a[0] > TRACE_OP_SET_SIZE || (a[0] == TRACE_OP_READ && (int)a[2] < 0) ? 'n' : '?';
#endif
#ifdef FS_INT
	case FS_INT: return a[0] == 0 || a[0] >= FS_NOPS ? 'n' : '?';
#endif
	}
	return '?';
}

/* n negative, 0 zero, t the caller's tid, g the #GP of a vector with no
 * gate, ? anything a real call can return. */
static char expect(const struct slot *s, const struct call *c)
{
	if (c->info->flags & V_NOGATE)
		return 'g';
	if (c->info->flags & V_RANGE)
		return 'n';
	if ((c->info->flags & V_PACKET) && !user_ptr(c->esi))
		return 'n';
	char want = expect_esi(s, c);
	if (want == '?' && c->esi == (unsigned)s->packet)
		want = expect_packet(c->vec, c->w);
	return want;
}

static int result_ok(const struct slot *s, char want, int r)
{
	switch (want) {
	case 'n': return r < 0;
	case '0': return r == 0;
	case 't': return r == s->tid;
	case 'g': return (unsigned)r == GP_MARK;
	default: return (unsigned)r != GP_MARK;
	}
}

/* ---- choosing a call ----------------------------------------------- */

static int table_weight(void)
{
	int sum = 0;
	for (int i = 0; i < NTABLE; i++)
		sum += table[i].weight;
	return sum;
}

/* May this slot make this call now? */
static int allowed(struct slot *s, const struct vecinfo *v)
{
	if ((v->flags & V_RARE) && below(&s->g, RARE))
		return 0;
	return v->vec != FORK_INT || s->gen < MAX_GEN;
}

static const struct vecinfo *pick_info(struct slot *s)
{
	static int total;
	if (!total)
		total = table_weight();
	for (;;) {
		int w = below(&s->g, total), i = 0;
		while (w >= table[i].weight)
			w -= table[i++].weight;
		if (allowed(s, &table[i]))
			return &table[i];
	}
}

/* Is vec a call of the table (rather than a reserved vector)? */
static int assigned(unsigned vec)
{
	for (int i = 0; i < NTABLE; i++)
		if (!(table[i].flags & (V_RANGE | V_NOGATE)) && table[i].vec == vec)
			return 1;
	return 0;
}

static unsigned pick_vector(struct slot *s, const struct vecinfo *v)
{
	if (v->flags & V_RANGE) {
		unsigned vec;
		do	/* the assigned vectors of the range have entries of their own */
			vec = v->vec + below(&s->g, 0x8F - v->vec + 1);
		while (assigned(vec));
		return vec;
	}
	if (v->flags & V_NOGATE)
		return gateless[below(&s->g, ngateless)];
	return v->vec;
}

/* Where a packet goes: mostly the slot's own, else anywhere. */
static unsigned packet_ptr(struct slot *s)
{
	switch (below(&s->g, 10)) {
	case 0: return pool_ptr(&s->g);
	case 1: return buffer(&s->g);
	default: return (unsigned)s->packet;
	}
}

static void make_call(struct slot *s, struct call *c)
{
	const char *k = (c->info = pick_info(s))->kinds;
	c->vec = pick_vector(s, c->info);
	if (!(c->info->flags & V_PACKET)) {
		c->esi = value(&s->g, *k ? *k : 'i');
	} else {
		for (int i = 0; k[i]; i++)
			s->packet[i] = value(&s->g, k[i]);
		c->esi = packet_ptr(s);
	}
	memcpy(c->w, s->packet, sizeof c->w);
	c->want = expect(s, c);
}

/* Could the call block for longer than a moment (until input comes, a
 * make_runnable, a long sleep)? */
static int may_block(const struct slot *s, const struct call *c)
{
	switch (c->vec) {
	case GETCHAR_INT: return 1;
	case DESCHEDULE_INT: return user_ptr(c->esi) && c->esi != (unsigned)&one_word;
	case SLEEP_INT: return (int)c->esi > 20;
	case READLINE_INT: return c->want != 'n' && c->want != '0';
#ifdef FS_INT
	/* A read of the console waits for a line; a packet elsewhere may
	 * hold any op (a pipe among them). */
	case FS_INT: return c->esi != (unsigned)s->packet || c->w[0] == FS_READ;
#endif
	}
	return 0;
}

/* A call that may block is made only rarely: each one costs a worker
 * for a while (or for good); never by a child with no watchdog. */
static void pick_call(struct slot *s, struct call *c)
{
	do
		make_call(s, c);
	while (may_block(s, c) && (s->safe || below(&s->g, RARE)));
}

/* ---- the worker ---------------------------------------------------- */

static void fz_handler(void *arg, ureg_t *u);

static void register_handler(struct slot *s)
{
	swexn(&s->xstack[XSTACK_WORDS], fz_handler, s, NULL);
}

/* One line describing a call, then what it gave (r), unless it is
 * MAKING the call still. */
static void describe(const struct slot *s, const struct call *c, const char *what, int r)
{
	char line[200];
	int n = snprintf(line, sizeof line, "\nfuzz: %s run %#x worker %d call %u: vector %#x "
			 "esi %#x", what, run.seed, s->id, s->index, c->vec, c->esi);
	if (c->esi == (unsigned)s->packet)
		n += snprintf(line + n, sizeof line - n, " {%#x %#x %#x %#x}",
			      c->w[0], c->w[1], c->w[2], c->w[3]);
	if (r != MAKING)
		n += snprintf(line + n, sizeof line - n, ": result %d", r);
	n += snprintf(line + n, sizeof line - n, "\n");
	debug_print(n < (int)sizeof line ? n : (int)sizeof line - 1, line);
}

static void failed(struct slot *s, const struct call *c, int r, const char *why)
{
	s->fails++;
	describe(s, c, "FAIL", r);
	tprintf("\nfuzz: FAIL worker %d call %u: %s\n", s->id, s->index, why);
}

static void watchdog(void *deadline)
{
	while ((int)(get_ticks() - (unsigned)deadline) < 0)
		sleep(10);
	task_vanish(0);
}

/* fork returned 0: this thread is now alone in a new task. It goes on
 * for a while under a watchdog thread that ends the task in time even
 * if this one blocks for ever; with no watchdog it makes no call that
 * may block. */
static void become_child(struct slot *s)
{
	s->gen++;
	s->left = CHILD_CALLS;
	s->tid = s->g.tid = gettid();
	s->g.rng = mix(s->g.rng, s->gen);
	void *deadline = (void *)(get_ticks() + CHILD_TICKS);
	s->safe = thread_fork_on(&wd_stack[1024], watchdog, deadline) < 0;
}

/* The first register but %eax that the call changed (NREGS if none),
 * with the value it had before in *was. thread_fork's snippet tests
 * %eax after the int: its flags are its own. */
static enum reg changed_reg(const struct slot *s, const struct call *c, const unsigned *after,
			    unsigned *was)
{
	const unsigned before[R_EFLAGS_BEFORE] = {
		[R_EBX] = TAG | s->id, [R_ECX] = FZ_ECX, [R_EDX] = FZ_EDX, [R_ESI] = c->esi,
		[R_EDI] = s->index, [R_EBP] = run.seed, [R_EFLAGS] = after[R_EFLAGS_BEFORE],
		[R_DS] = USER_DATA_SEL, [R_ES] = USER_DATA_SEL, [R_FS] = USER_DATA_SEL,
		[R_GS] = USER_DATA_SEL,
	};
	for (enum reg i = 0; i < R_EFLAGS_BEFORE; i++) {
		if (i == R_EFLAGS && c->vec == THREAD_FORK_INT)
			continue;
		if (after[i] != before[i]) {
			*was = before[i];
			return i;
		}
	}
	return NREGS;
}

/* A register the call changed: which, from what to what. */
static void failed_reg(struct slot *s, const struct call *c, int r, enum reg i, unsigned was,
		       unsigned now)
{
	static const char *const names[] = {
		"ebx", "ecx", "edx", "esi", "edi", "ebp", "eflags", "ds", "es", "fs", "gs",
	};
	char why[100];
	snprintf(why, sizeof why, "registers other than %%eax changed: %%%s %#x -> %#x",
		 names[i], was, now);
	failed(s, c, r, why);
}

static void check_result(struct slot *s, const struct call *c, int r, const unsigned *after)
{
	unsigned was;
	enum reg i = changed_reg(s, c, after, &was);
	if (i != NREGS)
		failed_reg(s, c, r, i, was, after[i]);
	else if (!result_ok(s, c->want, r))
		failed(s, c, r, c->want == 'g' ? "no #GP from a vector with no gate" :
		       "the result contradicts the arguments");
	if (c->vec == GET_TICKS_INT) {
		if ((int)((unsigned)r - s->ticks) < 0)
			failed(s, c, r, "get_ticks went backwards");
		s->ticks = r;
	}
}

/* A registration that sends faults to the landing pad may stand. */
static void after_swexn(struct slot *s, const struct call *c)
{
	if (c->esi != (unsigned)s->packet || c->w[1] != (unsigned)fz_landing ||
	    below(&s->g, RARE))
		register_handler(s);
}

static void one_call(struct slot *s)
{
	struct call c;
	unsigned after[NREGS];
	pick_call(s, &c);
	stir_pool(&s->g);
	s->index++;
	s->vec = c.vec;
	if (opt.verbose)
		describe(s, &c, "call", MAKING);
	int r = fz_call(c.vec, c.esi, TAG | s->id, run.seed, s->index, after);
	if (c.vec == FORK_INT && r == 0) {
		become_child(s);
		return;
	}
	s->calls++;
	check_result(s, &c, r, after);
	if (c.vec == SWEXN_INT)
		after_swexn(s, &c);
}

static void worker(void *arg)
{
	struct slot *s = arg;
	s->tid = s->g.tid = gettid();
	register_handler(s);
	for (;;) {
		if (s->gen && s->left-- == 0)
			task_vanish(0);
		one_call(s);
	}
}

static int is_slot(const void *p)
{
	const char *c = p, *base = (const char *)slots;
	return c >= base && c < (const char *)&slots[MAX_SLOTS] &&
	       (c - base) % sizeof(struct slot) == 0;
}

/*
 * The worker's swexn handler: a vector with no gate raised #GP at its
 * int; step over it with GP_MARK as the result. Anything else in our own
 * code is a failure; a fault elsewhere means a fuzzed swexn sent the
 * thread away, and it just ends.
 */
static void fz_handler(void *arg, ureg_t *u)
{
	struct slot *s = arg;
	const char *eip = (const char *)u->eip;
	if (!is_slot(s))
		vanish();
	if (u->cause == SWEXN_CAUSE_PROTFAULT && eip >= fz_snippets &&
	    eip < fz_snippets_end && (unsigned char)eip[0] == 0xCD) {
		u->eip += 2;
		u->eax = GP_MARK;
		swexn(&s->xstack[XSTACK_WORDS], fz_handler, s, u);
	}
	if (u->eip >= USER_MEM_START && eip < etext) {
		s->fails++;
		tprintf("\nfuzz: FAIL run %#x worker %d call %u: exception %u at eip %#x "
			"(cr2 %#x) in the fuzzer\n", run.seed, s->id, s->index, u->cause,
			u->eip, u->cr2);
	}
	vanish();
}

/* ---- a run: one task, its workers, and their coordinator ------------ */

static int start_worker(struct slot *s)
{
	memset(&s->packet, 0, sizeof *s - offsetof(struct slot, packet));
	s->id = run.next_id++;
	s->g.rng = mix(run.seed, s->id);
	s->used = 1;
	int tid = thread_fork_on(&s->stack[STACK_WORDS], worker, s);
	if (tid < 0)
		s->used = 0;
	else
		s->tid = tid;
	return tid;
}

/* Poll every worker: those that made no call for STUCK_POLLS polls are
 * stuck (or gone); poke them in case deschedule holds them. Returns how
 * many are active. */
static int watch(void)
{
	int active = 0;
	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *s = &slots[i];
		if (!s->used)
			continue;
		if (s->calls != s->seen) {
			s->seen = s->calls;
			s->idle = 0;
		}
		if (++s->idle < STUCK_POLLS)
			active++;
		else
			make_runnable(s->tid);
	}
	return active;
}

/* Keep opt.workers workers active while slots last. */
static void top_up(int active)
{
	for (int i = 0; i < MAX_SLOTS && active < (int)opt.workers; i++)
		if (!slots[i].used && start_worker(&slots[i]) >= 0)
			active++;
}

static void sums(unsigned *calls, int *fails, int *used)
{
	*calls = 0, *fails = 0, *used = 0;
	for (int i = 0; i < MAX_SLOTS; i++) {
		*calls += slots[i].calls;
		*fails += slots[i].fails;
		*used += slots[i].used;
	}
}

/* One line naming the last call of each worker that stopped making
 * calls (blocked, or gone): where to look if a run hangs. */
static void report_stuck(void)
{
	char line[600];
	int n = snprintf(line, sizeof line, "\nfuzz: run %#x: stuck or gone:", run.seed);
	for (int i = 0; i < MAX_SLOTS && n < (int)sizeof line; i++)
		if (slots[i].used && slots[i].idle >= STUCK_POLLS)
			n += snprintf(line + n, sizeof line - n, " w%d #%u %#x", slots[i].id,
				      slots[i].index, slots[i].vec);
	if (n > (int)sizeof line - 2)
		n = sizeof line - 2;	/* cut: the first ones are enough */
	line[n++] = '\n';
	debug_print(n, line);
}

/* Map part of the arena and fill the pool; names for the calls. */
static void setup_task(void)
{
	struct gen g = { mix(run.seed, 0xA7E4A), run.coord_tid };
	for (unsigned i = 0; i < ARENA_SLOTS / 2; i++)
		new_pages((void *)(ARENA + i * ARENA_STEP), (i + 1) * PAGE_SIZE);
	/* a name and an argument vector that run into the end of a mapping */
	memcpy((char *)NAME_AT_END, "readme.txt", 10);
	*(const char **)ARGV_AT_END = "x";
	for (int i = 0; i < POOL_WORDS; i++)
		tg.pool[i] = any_value(&g);
	make_ureg(&g);
}

/* The run's task: start the workers, keep them going until the run's
 * calls are made (or its time is up), then end them all at once. */
static void fuzz_task(unsigned seed)
{
	unsigned calls = 0, deadline = get_ticks() + RUN_TICKS;
	int fails = 0, used = 0, active = 0;
	run.seed = seed;
	run.coord_tid = gettid();
	run.next_id = opt.first;
	misbehave(seed % 4);	/* normal, yield per call, 1-tick slices, random yields */
	setup_task();
	while (calls < RUN_CALLS && !fails && (int)(get_ticks() - deadline) < 0) {
		top_up(active);
		sleep(POLL_TICKS);
		active = watch();
		sums(&calls, &fails, &used);
		if (!active && (used == MAX_SLOTS || (opt.run_seed && opt.workers == 1)))
			break;		/* every worker is stuck or gone */
	}
	tprintf("\nfuzz: run %#x: %u calls by %d workers, %d failures\n", seed, calls, used,
		fails);
	report_stuck();
	task_vanish(RUN_DONE | (fails > 0xFF ? 0xFF : fails));
}

/* ---- the first task: runs, accounting, verdict --------------------- */

static kstat_t stats(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k;
}

/* Fork a run's task; retry while leftovers of earlier runs hold memory. */
static int start_run(unsigned seed)
{
	for (int tries = 0; tries < 100; tries++) {
		int pid = fork();
		if (pid == 0)
			fuzz_task(seed);
		if (pid > 0)
			return pid;
		sleep(10);
	}
	test_fail("cannot fork a fuzz task");
}

/* Reap until every run in pids has ended (orphans come to us too);
 * returns the failures they reported. */
static int collect(const int *pids, const unsigned *seeds, int n)
{
	int left = n, fails = 0, status;
	while (left > 0) {
		int pid = wait(&status);
		if (pid < 0)
			test_fail("wait failed with %d fuzz tasks left", left);
		for (int i = 0; i < n; i++) {
			if (pid != pids[i])
				continue;
			left--;
			if ((status & ~0xFF) == RUN_DONE)
				fails += status & 0xFF;
			else
				tprintf("\nfuzz: run %#x ended early, status %d (a fuzzed "
					"task_vanish or vanish)\n", seeds[i], status);
		}
	}
	return fails;
}

static int enough(const kstat_t *start, unsigned runs)
{
	kstat_t now = stats();
	if (opt.run_seed)
		return runs > 0;
	if (opt.minutes)
		return now.ticks - start->ticks >= opt.minutes * 6000;
	return now.syscalls - start->syscalls >= opt.calls;
}

static void report_rate(const kstat_t *start, unsigned runs)
{
	kstat_t now = stats();
	unsigned secs = (now.ticks - start->ticks) / 100;
	unsigned calls = now.syscalls - start->syscalls;
	tprintf("\nfuzz: %u system calls in %u runs, %u s: %u calls/s\n", calls, runs, secs,
		calls / (secs ? secs : 1));
}

/* Runs, opt.tasks at a time, until enough calls (or time) went by. */
static int fuzz_all(void)
{
	kstat_t start = stats();
	unsigned runs = 0, last_report = start.ticks;
	int fails = 0;
	while (!enough(&start, runs)) {
		int pids[MAX_TASKS];
		unsigned seeds[MAX_TASKS];
		int n = opt.run_seed ? 1 : opt.tasks;
		for (int i = 0; i < n; i++) {
			seeds[i] = opt.run_seed ? opt.run_seed : mix(opt.seed, runs + i);
			pids[i] = start_run(seeds[i]);
			tprintf("\nfuzz: run %#x in task %d\n", seeds[i], pids[i]);
		}
		runs += n;
		fails += collect(pids, seeds, n);
		if (opt.minutes && get_ticks() - last_report >= SOAK_REPORT_TICKS) {
			report_rate(&start, runs);
			last_report = get_ticks();
		}
	}
	while (wait(NULL) >= 0)		/* forked children still finishing */
		;
	report_rate(&start, runs);
	return fails;
}

/* The forked children that outlive their runs are init's, not ours:
 * give their watchdogs time to end them and init time to reap them. */
static void settle(const kstat_t *base)
{
	for (int t = 0; t < 2 * CHILD_TICKS && stats().tasks != base->tasks; t += 10)
		sleep(10);
}

/* name=value words into opt. */
static void parse(int argc, char **argv)
{
	static const struct { const char *name; unsigned *value; } names[] = {
		{ "seed=", &opt.seed }, { "calls=", &opt.calls }, { "minutes=", &opt.minutes },
		{ "tasks=", &opt.tasks }, { "workers=", &opt.workers }, { "run=", &opt.run_seed },
		{ "first=", &opt.first }, { "verbose=", &opt.verbose },
	};
	for (int i = 1; i < argc; i++) {
		unsigned n = 0, len = 0;
		while (n < sizeof names / sizeof names[0] &&
		       strncmp(argv[i], names[n].name, len = strlen(names[n].name)))
			n++;
		if (n < sizeof names / sizeof names[0])
			*names[n].value = strtoul(argv[i] + len, NULL, 0);
		else
			test_fail("unknown option %s", argv[i]);
	}
	opt.tasks = opt.tasks < 1 ? 1 : opt.tasks > MAX_TASKS ? MAX_TASKS : opt.tasks;
	opt.workers = opt.workers < 1 ? 1 : opt.workers > MAX_SLOTS ? MAX_SLOTS : opt.workers;
}

/* Tables that need addresses or are too long to write out. */
static void setup_tables(void)
{
	for (int v = 0x40; v < 0x80; v++) {
		int has_gate = v == HALT_INT;
		for (int i = 0; i < NTABLE; i++)
			has_gate |= table[i].vec == v;
		if (!has_gate)
			gateless[ngateless++] = v;
	}
	memset(tg.long_name, 'a', sizeof tg.long_name);
	tg.long_name[255] = 0;
	tg.long_name[sizeof tg.long_name - 1] = 0;
	for (int i = 0; i < 599; i++)
		tg.many_args[i] = "x";
}

#ifdef FS_INT
#define CLEAN_STEPS 10000	/* directories clean_tmp enters, at most */

/*
 * Remove what the file calls made under /tmp (they make things only
 * there), deepest first. Without recursion: a recursive walk with a
 * path on each frame grew the stack of this, the measured task, by a
 * page and a region after stress_begin took the baseline, when the
 * fuzzed calls had nested directories deep enough. path is the
 * directory being emptied; its listing is read from the start again
 * after each removal, as the entries after it move up. An entry that
 * cannot be removed is passed over; CLEAN_STEPS ends a walk that keeps
 * entering a directory it cannot empty.
 */
static void clean_tmp(void)
{
	static char path[FS_PATH_MAX] = "/tmp";
	const size_t root = strlen(path);
	size_t len = root;
	fable_dirent_t d;
	fable_stat_t st;
	for (int steps = 0; steps < CLEAN_STEPS; steps++) {
		int fd = open(path, O_RDONLY | O_DIRECTORY, 0), down = 0;
		while (fd >= 0 && !down && readdir(fd, &d) == 1) {
			if (len + 1 + d.namelen >= sizeof path)
				continue;
			path[len] = '/';
			memcpy(path + len + 1, d.name, d.namelen + 1);
			if (lstat(path, &st) == 0 && st.type == FT_DIR)
				down = 1, len += 1 + d.namelen;
			else if (unlink(path) == 0)
				lseek(fd, 0, SEEK_SET);
			path[len] = 0;
		}
		if (fd >= 0)
			close(fd);
		if (down)
			continue;
		if (len == root)
			return;
		rmdir(path);	/* emptied: go back up to its parent */
		while (path[--len] != '/')
			;
		path[len] = 0;
	}
}
#endif

int main(int argc, char **argv)
{
	kstat_t base;
	parse(argc, argv);
	setup_tables();
	tprintf("fuzz: seed %#x, %u calls%s, %u tasks of %u workers; a run is "
		"replayed with: -- fuzz run=SEED [workers=1 first=W verbose=1]\n",
		opt.seed, opt.calls, opt.minutes ? " (soak: by time)" : "", opt.tasks,
		opt.workers);
	stress_begin(&base);
	int fails = fuzz_all();
	misbehave(-1);
	set_term_color(FGND_LGRAY | BGND_BLACK);
	print(1, "\n");
	tprintf("\nfuzz: %d failures\n", fails);
	CHECK(fails == 0);
	settle(&base);
#ifdef TRACE_INT
	/* Workers may have left the trace on, or events in it: its rings are
	 * kernel heap until it is off and empty (docs/abi/fable.md §9). */
	trace_set_size(0, TRACE_EVENTS_DEFAULT);
	trace_clear();
#endif
#ifdef FS_INT
	clean_tmp();
#endif
	stress_end(&base);
}
