/* swexn_ureg.c: what a handler is given. For a known page fault the
 * ureg_t holds the cause, cr2, error code, eip, esp, every register and
 * the user selectors; it sits just below esp3 rounded down to a multiple
 * of 4, under a junk return address, arg and the ureg pointer; the
 * handler starts with eflags 0x202 and every other register 0; resuming
 * loads what the handler changed. Other exceptions report their own
 * cause: divide, breakpoint, overflow, invalid opcode, general
 * protection, and page faults on kernel memory (0x500000, 0x00FFFFFC). */
#include <stddef.h>
#include <syscall.h>
#include "testlib.h"

#define ADDR 0x31337004u	/* the known fault writes here */

static char xstack[4096] __attribute__((aligned(16)));
#define ESP3 (&xstack[4096 - 7])			/* deliberately unaligned */
#define FRAME_TOP ((unsigned)ESP3 & ~3u)

/* Registers as the handler entry stub and known_after found them. */
struct regs {
	unsigned eax, ebx, ecx, edx, esi, edi, ebp, esp, eflags;
	unsigned cs, ss, ds, es, fs, gs;
};
struct regs at_entry, at_resume;
unsigned fault_esp;		/* %esp at the known fault */

/* The known fault: every register set, then a write to ADDR. */
void known_fault(void);
extern char known_insn[], known_after[];
__asm__(".text\n"
	"known_fault:\n"
	"	pushl %ebp\n	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	movl $0x11111111, %eax\n	movl $0x22222222, %ebx\n"
	"	movl $0x33333333, %ecx\n	movl $0x31337004, %edx\n"
	"	movl $0x55555555, %esi\n	movl $0x66666666, %edi\n"
	"	movl $0x77777777, %ebp\n"
	"	movl %esp, fault_esp\n"
	"known_insn:\n"
	"	movl %eax, (%edx)\n"
	"known_after:\n"
	"	movl %eax, at_resume+0\n	movl %ebx, at_resume+4\n"
	"	movl %ecx, at_resume+8\n	movl %edx, at_resume+12\n"
	"	movl %esi, at_resume+16\n	movl %edi, at_resume+20\n"
	"	movl %ebp, at_resume+24\n	movl %esp, at_resume+28\n"
	"	pushfl\n	popl at_resume+32\n"
	"	pushl $0x202\n	popfl\n"
	"	popl %edi\n	popl %esi\n	popl %ebx\n	popl %ebp\n"
	"	ret\n");

/* Handler entry: record the registers, then run the C handler. */
void entry_stub(void *arg, ureg_t *u);
__asm__(".text\n"
	"entry_stub:\n"
	"	movl %eax, at_entry+0\n	movl %ebx, at_entry+4\n"
	"	movl %ecx, at_entry+8\n	movl %edx, at_entry+12\n"
	"	movl %esi, at_entry+16\n	movl %edi, at_entry+20\n"
	"	movl %ebp, at_entry+24\n	movl %esp, at_entry+28\n"
	"	pushfl\n	popl at_entry+32\n"
	"	movw %cs, at_entry+36\n	movw %ss, at_entry+40\n"
	"	movw %ds, at_entry+44\n	movw %es, at_entry+48\n"
	"	movw %fs, at_entry+52\n	movw %gs, at_entry+56\n"
	"	jmp c_handler\n");

static ureg_t seen;			/* the ureg the handler got */
static ureg_t *seen_at;
static void *seen_arg;

void c_handler(void *arg, ureg_t *u);
void c_handler(void *arg, ureg_t *u)
{
	seen = *u, seen_at = u, seen_arg = arg;
	u->eip = (unsigned)known_after;
	u->eax = 0xAAAA0000, u->esi = 0x5E5E5E5E, u->ebp = 0xEBEBEBEB;
	u->eflags |= 0x1;	/* CF */
	swexn(NULL, NULL, NULL, u);
}

static int selectors_ok(unsigned cs, unsigned ss, unsigned ds, unsigned es,
			unsigned fs, unsigned gs)
{
	return cs == 0x23 && ss == 0x2B && ds == 0x2B && es == 0x2B &&
	       fs == 0x2B && gs == 0x2B;
}

static void check_ureg(void)
{
	const ureg_t *u = &seen;
	CHECK(u->cause == SWEXN_CAUSE_PAGEFAULT && u->cr2 == ADDR);
	CHECK(u->error_code == 6);	/* user write, page not present */
	CHECK(u->eip == (unsigned)known_insn && u->esp == fault_esp);
	CHECK(u->eax == 0x11111111 && u->ebx == 0x22222222 && u->ecx == 0x33333333);
	CHECK(u->edx == ADDR && u->esi == 0x55555555 && u->edi == 0x66666666);
	CHECK(u->ebp == 0x77777777 && u->zero == 0);
	CHECK(selectors_ok(u->cs, u->ss, u->ds, u->es, u->fs, u->gs));
	CHECK((u->eflags & 0x202) == 0x202 && (u->eflags & 0x3000) == 0);
}

/* The frame below esp3 and the registers at handler entry. */
static void check_entry(void)
{
	const struct regs *e = &at_entry;
	const unsigned *sp = (const unsigned *)e->esp;
	CHECK((unsigned)seen_at == FRAME_TOP - sizeof(ureg_t));
	CHECK(e->esp == FRAME_TOP - sizeof(ureg_t) - 12);
	CHECK(sp[0] == 0 && sp[1] == 0xA11 && sp[2] == (unsigned)seen_at);
	CHECK(seen_arg == (void *)0xA11);
	CHECK(e->eflags == 0x202);
	CHECK(e->eax == 0 && e->ebx == 0 && e->ecx == 0 && e->edx == 0);
	CHECK(e->esi == 0 && e->edi == 0 && e->ebp == 0);
	CHECK(selectors_ok(e->cs, e->ss, e->ds, e->es, e->fs, e->gs));
}

/* Resuming loads the handler's changes and keeps the rest. */
static void check_resume(void)
{
	const struct regs *r = &at_resume;
	CHECK(r->eax == 0xAAAA0000 && r->esi == 0x5E5E5E5E && r->ebp == 0xEBEBEBEB);
	CHECK(r->ebx == 0x22222222 && r->ecx == 0x33333333 && r->edx == ADDR);
	CHECK(r->edi == 0x66666666 && r->esp == fault_esp);
	CHECK((r->eflags & 0x1) == 1);
}

/* Faults of other kinds: X_at is the faulting instruction, X_done the
 * instruction after it, where the handler resumes. */
void f_divide(void), f_int3(void), f_into(void), f_ud2(void), f_cli(void);
void f_read_kernel(void), f_write_kernel_top(void), f_read_unmapped(void);
__asm__(".text\n"
	"f_divide:	xorl %ecx, %ecx\n	movl $1, %eax\n	cltd\n"
	"f_divide_at:	divl %ecx\n"
	"f_divide_done:	ret\n"
	"f_int3:\n"
	"f_int3_at:	int3\n"
	"f_int3_done:	ret\n"
	"f_into:	movl $0x7FFFFFFF, %eax\n	addl $1, %eax\n"
	"f_into_at:	into\n"
	"f_into_done:	ret\n"
	"f_ud2:\n"
	"f_ud2_at:	ud2\n"
	"f_ud2_done:	ret\n"
	"f_cli:\n"
	"f_cli_at:	cli\n"
	"f_cli_done:	ret\n"
	"f_read_kernel:\n"
	"f_read_kernel_at:	movl 0x500000, %eax\n"
	"f_read_kernel_done:	ret\n"
	"f_write_kernel_top:\n"
	"f_write_kernel_top_at:	movl %eax, 0x00FFFFFC\n"
	"f_write_kernel_top_done:	ret\n"
	"f_read_unmapped:\n"
	"f_read_unmapped_at:	movl 0xDEAD0000, %eax\n"
	"f_read_unmapped_done:	ret\n");
extern char f_divide_at[], f_int3_at[], f_into_at[], f_ud2_at[], f_cli_at[];
extern char f_read_kernel_at[], f_write_kernel_top_at[], f_read_unmapped_at[];
extern char f_divide_done[], f_int3_done[], f_into_done[], f_ud2_done[];
extern char f_cli_done[], f_read_kernel_done[], f_write_kernel_top_done[];
extern char f_read_unmapped_done[];

struct kind {
	const char *what;
	void (*fn)(void);
	char *eip;			/* what ureg->eip must be */
	char *done;			/* where the handler resumes */
	unsigned cause, cr2, error_code;
	unsigned error_mask;		/* the bits of error_code checked */
};

/* Faults report the faulting instruction, traps (int3, into) the next.
 * Whether a kernel page is present is the kernel's business (its
 * temporary-mapping slots below 0x01000000 are not): for kernel
 * addresses only the user and write bits of the error code count. */
static const struct kind kinds[] = {
	{ "divide", f_divide, f_divide_at, f_divide_done, SWEXN_CAUSE_DIVIDE, 0, 0, 7 },
	{ "int3", f_int3, f_int3_done, f_int3_done, SWEXN_CAUSE_BREAKPOINT, 0, 0, 7 },
	{ "into", f_into, f_into_done, f_into_done, SWEXN_CAUSE_OVERFLOW, 0, 0, 7 },
	{ "ud2", f_ud2, f_ud2_at, f_ud2_done, SWEXN_CAUSE_OPCODE, 0, 0, 7 },
	{ "cli", f_cli, f_cli_at, f_cli_done, SWEXN_CAUSE_PROTFAULT, 0, 0, 7 },
	{ "read 0x500000", f_read_kernel, f_read_kernel_at, f_read_kernel_done,
	  SWEXN_CAUSE_PAGEFAULT, 0x500000, 4, 6 },		/* user read */
	{ "write 0x00FFFFFC", f_write_kernel_top, f_write_kernel_top_at,
	  f_write_kernel_top_done, SWEXN_CAUSE_PAGEFAULT, 0x00FFFFFC, 6, 6 },
	{ "read unmapped", f_read_unmapped, f_read_unmapped_at,
	  f_read_unmapped_done, SWEXN_CAUSE_PAGEFAULT, 0xDEAD0000, 4, 7 },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static void kind_handler(void *arg, ureg_t *u)
{
	const struct kind *k = arg;
	seen = *u;
	u->eip = (unsigned)k->done;
	swexn(NULL, NULL, NULL, u);
}

static void other_kinds(void)
{
	for (unsigned i = 0; i < NKINDS; i++) {
		const struct kind *k = &kinds[i];
		seen.cause = 0xFF;
		CHECK(swexn(ESP3, kind_handler, (void *)k, NULL) == 0);
		k->fn();
		int ok = seen.cause == k->cause && seen.cr2 == k->cr2 &&
			 (seen.error_code & k->error_mask) == k->error_code &&
			 seen.eip == (unsigned)k->eip;
		if (!CHECK(ok))
			tprintf("swexn_ureg: %s: cause %#x cr2 %#x error %#x eip %#x\n",
				k->what, seen.cause, seen.cr2, seen.error_code, seen.eip);
	}
}

int main(void)
{
	CHECK(swexn(ESP3, entry_stub, (void *)0xA11, NULL) == 0);
	known_fault();
	check_ureg();
	check_entry();
	check_resume();
	other_kinds();
	test_done();
}
