/* runner: timeout=60 */
/* seg_selectors.c: the kernel is entered with every selector ring 3 can
 * hold in %ds, %es, %fs and %gs - null (RPL 0-3), the user code selector
 * 0x23 (readable, not writable) with each RPL, the user data selector
 * with each RPL - through a system call (gettid, and readfile, which
 * copies in and out), a breakpoint and a page fault delivered to a swexn
 * handler, timer interrupts and a switch to another task. Each call gives
 * its right answer, each handler sees the selector in its ureg and runs
 * with 0x2B itself, and afterwards the register holds what it held (or
 * what swexn's newureg said, 0x2B), while the other task's registers
 * keep 0x2B. The kernel's and the TSS's selectors, and those past the
 * GDT, cannot be loaded from ring 3 at all: #GP naming the selector.
 * QEMU does not check data accesses against null or read-only segments,
 * so this cannot show that the kernel never uses such a %ds or %es
 * itself; the debug kernel's assertion in trap() does (case
 * debug_kernel_segs), and docs/interrupts.md argues it from the manual. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <ureg.h>
#include "testlib.h"

#define UDATA 0x2Bu
#define FLIPS 20		/* yields with an odd selector, per case */
#define CHILD_YIELDS 4000	/* the other task's checked yields */

static const unsigned loadable[] = {
	0x00, 0x01, 0x02, 0x03,		/* null */
	0x20, 0x21, 0x22, 0x23,		/* user code: readable, not writable */
	0x28, 0x29, 0x2A, 0x2B,		/* user data */
};
/* TSS, kernel code, kernel data (each with RPL 0 and 3), the
 * double-fault TSS, past the GDT's end, and an LDT selector. */
static const unsigned refused_sels[] = {
	0x08, 0x0B, 0x10, 0x13, 0x18, 0x1B, 0x30, 0x33, 0x38, 0x3B, 0x07,
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * For each register R, the operations with sel in R. Each loads sel,
 * acts, reads R back into *back and puts 0x2B in again, touching memory
 * only through %ss (a push or an %ss: override) while R is odd, so that
 * it would run on a real CPU too.
 *   NAME_R(sel, esi, back): the system call NAME, int $VEC with %esi;
 *                           returns %eax
 *   brk_R(sel, back): int3, which the handler resumes after
 *   pf_R(sel, addr, back): reads addr through %ss: a page fault
 *   spin_R(sel, loops): R checked every loop; returns 0 if it held
 *   load_R(sel): loads sel; 0xFFFFFFFF, or what on_load_fault returns
 */
#define CALL(R, NAME, VEC)						\
static unsigned NAME##_##R(unsigned sel, unsigned esi, unsigned *back) \
{									\
	unsigned eax;							\
	__asm__ volatile("movw %%dx, %%" #R "\n\t"			\
			 "int $" #VEC "\n\t"				\
			 "movw %%" #R ", %%dx\n\t"			\
			 "movw $0x2B, %%cx\n\tmovw %%cx, %%" #R		\
			 : "=a"(eax), "+d"(sel), "+S"(esi)		\
			 : : "ecx", "memory", "cc");			\
	*back = sel;							\
	return eax;							\
}
#define OPS(R)								\
CALL(R, gettid, 0x48) CALL(R, readfile, 0x62) CALL(R, yield, 0x45)	\
static void brk_##R(unsigned sel, unsigned *back)			\
{									\
	__asm__ volatile("movw %%dx, %%" #R "\n\tint3\n\t"		\
			 "movw %%" #R ", %%dx\n\t"			\
			 "movw $0x2B, %%cx\n\tmovw %%cx, %%" #R		\
			 : "+d"(sel) : : "ecx", "memory", "cc");	\
	*back = sel;							\
}									\
static void pf_##R(unsigned sel, unsigned addr, unsigned *back)	\
{									\
	__asm__ volatile("movw %%dx, %%" #R "\n\t"			\
			 "movl %%ss:(%%eax), %%eax\n\t"			\
			 "movw %%" #R ", %%dx\n\t"			\
			 "movw $0x2B, %%cx\n\tmovw %%cx, %%" #R		\
			 : "+d"(sel), "+a"(addr) : : "ecx", "memory", "cc"); \
	*back = sel;							\
}									\
static unsigned spin_##R(unsigned sel, unsigned loops)		\
{									\
	unsigned left, mask = same_mask(sel);				\
	__asm__ volatile("movw %%dx, %%" #R "\n\t"			\
			 "andw %%bx, %%dx\n"				\
			 "1:\tmovw %%" #R ", %%ax\n\t"			\
			 "andw %%bx, %%ax\n\t"				\
			 "cmpw %%ax, %%dx\n\tjne 2f\n\t"		\
			 "decl %%ecx\n\tjnz 1b\n"			\
			 "2:\tmovw $0x2B, %%ax\n\tmovw %%ax, %%" #R	\
			 : "=c"(left), "+d"(sel) : "0"(loops), "b"(mask) \
			 : "eax", "memory", "cc");			\
	return left;							\
}									\
static unsigned load_##R(unsigned sel)					\
{									\
	__asm__ volatile("call 1f\n\tjmp 2f\n"				\
			 "1:\tmovw %%ax, %%" #R "\n\t"			\
			 "movw $0x2B, %%cx\n\tmovw %%cx, %%" #R "\n\t"	\
			 "movl $0xFFFFFFFF, %%eax\n\tret\n2:"		\
			 : "+a"(sel) : : "ecx", "memory", "cc");	\
	return sel;							\
}

/*
 * What may come back for sel (docs/abi/README.md §4.1): sel itself, or
 * 0 for a null selector with RPL 1-3, which an iret to ring 3 may turn
 * into 0: the manual nulls a data segment register whose descriptor's
 * DPL is below CPL, and a null selector has no descriptor (QEMU does it
 * for %ds and %es, which the kernel reloads before the iret).
 */
static int same(unsigned back, unsigned sel)
{
	return back == sel || (sel < 4 && back == 0);
}

/* The same rule for spin_R, which can only compare under a mask: the
 * bits of sel that must come back unchanged. */
static unsigned same_mask(unsigned sel)
{
	return sel < 4 ? 0xFFFC : 0xFFFF;
}

OPS(ds) OPS(es) OPS(fs) OPS(gs)

typedef unsigned call_fn(unsigned sel, unsigned esi, unsigned *back);
struct reg {
	const char *name;
	call_fn *gettid, *readfile, *yield;
	void (*brk)(unsigned, unsigned *);
	void (*pf)(unsigned, unsigned, unsigned *);
	unsigned (*spin)(unsigned, unsigned);
	unsigned (*load)(unsigned);
};
#define REG(R) { #R, gettid_##R, readfile_##R, yield_##R, brk_##R, pf_##R, spin_##R, load_##R }
static const struct reg regs[] = { REG(ds), REG(es), REG(fs), REG(gs) };

/* CHECKs that failed, to name the register and selector of a failure. */
static int failed;
#define CK(e) (failed += !CHECK(e))

static char xstack[4096] __attribute__((aligned(16)));
static ureg_t seen;			/* the last ureg the handler got */
static unsigned handler_segs[4];	/* the handler's own ds es fs gs */
static int handled;
#define PF_ADDR 0x31337000u		/* unmapped */

static void rearm(void (*h)(void *, ureg_t *), ureg_t *u);

/* int3 and page faults: record, skip the faulting load (3 bytes:
 * 36 8b 00), give every data segment the only value swexn accepts. */
static void on_fault(void *arg, ureg_t *u)
{
	(void)arg;
	seen = *u;
	handled++;
	__asm__ volatile("movw %%ds, %0\n\tmovw %%es, %1\n\t"
			 "movw %%fs, %2\n\tmovw %%gs, %3"
			 : "=m"(handler_segs[0]), "=m"(handler_segs[1]),
			   "=m"(handler_segs[2]), "=m"(handler_segs[3]));
	if (u->cause == SWEXN_CAUSE_PAGEFAULT)
		u->eip += 3;
	u->ds = u->es = u->fs = u->gs = UDATA;
	rearm(on_fault, u);
}

/* A load that faulted: return cause << 16 | error code from load_R. */
static void on_load_fault(void *arg, ureg_t *u)
{
	(void)arg;
	u->eax = u->cause << 16 | (u->error_code & 0xFFFF);
	u->eip = *(unsigned *)u->esp;
	u->esp += 4;
	rearm(on_load_fault, u);
}

static void rearm(void (*h)(void *, ureg_t *), ureg_t *u)
{
	swexn(&xstack[sizeof xstack], h, NULL, u);
	test_fail("swexn refused the ureg");
}

static unsigned low16(unsigned v)
{
	return v & 0xFFFF;
}

/* One of the ureg's ds es fs gs, by index. */
static unsigned ureg_seg(const ureg_t *u, int i)
{
	const unsigned s[] = { u->ds, u->es, u->fs, u->gs };
	return low16(s[i]);
}

static void system_calls(int i, unsigned sel)
{
	const struct reg *r = &regs[i];
	unsigned back;
	CK(r->gettid(sel, 0, &back) == (unsigned)gettid());
	CK(same(back, sel));
	char buf[8] = { 0 };
	struct { char *name; char *buf; int count; int offset; } args =
		{ "seg_selectors", buf, 4, 0 };
	CK(r->readfile(sel, (unsigned)&args, &back) == 4);
	CK(same(back, sel) && memcmp(buf, "\177ELF", 4) == 0);
}

static void faults(int i, unsigned sel)
{
	const struct reg *r = &regs[i];
	unsigned back;
	int before = handled;
	r->brk(sel, &back);
	CK(handled == before + 1 && seen.cause == SWEXN_CAUSE_BREAKPOINT);
	CK(ureg_seg(&seen, i) == sel && low16(back) == UDATA);
	r->pf(sel, PF_ADDR, &back);
	CK(handled == before + 2 && seen.cause == SWEXN_CAUSE_PAGEFAULT &&
	      seen.cr2 == PF_ADDR);
	CK(ureg_seg(&seen, i) == sel && low16(back) == UDATA);
	for (int j = 0; j < 4; j++)
		CK(low16(handler_segs[j]) == UDATA);
}

/* Spin with sel in R until two ticks have passed: timer interrupts. */
static void interrupts(int i, unsigned sel)
{
	unsigned t0 = get_ticks(), spins = 0;
	while (get_ticks() - t0 < 2 && spins++ < 1000)
		CK(regs[i].spin(sel, 100000) == 0);
}

/* yield to the other task FLIPS times with sel in R. */
static void switches(int i, unsigned sel)
{
	for (int n = 0; n < FLIPS; n++) {
		unsigned back;
		CK(regs[i].yield(sel, (unsigned)-1, &back) == 0);
		CK(same(back, sel));
	}
}

/* How many of ds es fs gs do not hold 0x2B. */
static int not_udata(void)
{
	unsigned s[4];
	int bad = 0;
	__asm__ volatile("movw %%ds, %0\n\tmovw %%es, %1\n\t"
			 "movw %%fs, %2\n\tmovw %%gs, %3"
			 : "=m"(s[0]), "=m"(s[1]), "=m"(s[2]), "=m"(s[3]));
	for (int j = 0; j < 4; j++)
		bad += low16(s[j]) != UDATA;
	return bad;
}

/* The other task: yields, and checks that its four stay 0x2B; returns
 * how many times they did not. */
static int other_task(void)
{
	int bad = 0;
	for (int n = 0; n < CHILD_YIELDS; n++) {
		yield(-1);
		bad += not_udata();
	}
	return bad;
}

static void refused(int i)
{
	CHECK(swexn(&xstack[sizeof xstack], on_load_fault, NULL, NULL) == 0);
	for (unsigned k = 0; k < N(refused_sels); k++) {
		unsigned sel = refused_sels[k], r = regs[i].load(sel);
		if (!CHECK(r == (SWEXN_CAUSE_PROTFAULT << 16 | (sel & 0xFFFC))))
			tprintf("seg_selectors: %%%s = %#x: %#x\n", regs[i].name, sel, r);
	}
	CHECK(regs[i].load(UDATA) == 0xFFFFFFFF);	/* the probe works */
}

int main(void)
{
	/* Woken from sleep by the idle thread's switch: a kernel context
	 * that never came from ring 3 hands over the segment registers. */
	CHECK(not_udata() == 0);
	CHECK(sleep(2) == 0);
	CHECK(not_udata() == 0);
	int child = fork();
	if (child == 0)
		exit(other_task());
	CHECK(child > 0);
	for (int i = 0; i < 4; i++) {
		for (unsigned k = 0; k < N(loadable); k++) {
			unsigned sel = loadable[k];
			int before = failed;
			system_calls(i, sel);
			CHECK(swexn(&xstack[sizeof xstack], on_fault, NULL, NULL) == 0);
			faults(i, sel);
			interrupts(i, sel);
			switches(i, sel);
			if (failed != before)
				tprintf("seg_selectors: %%%s = %#x failed\n", regs[i].name, sel);
		}
		refused(i);
	}
	swexn(NULL, NULL, NULL, NULL);
	int status = -1;
	CHECK(wait(&status) == child);
	CHECK(status == 0);
	test_done();
}
