/*
 * ringlies.c: the lie "a program can do anything the CPU can"
 * (docs/lie-ring0.md). User code runs in ring 3; this program tries what
 * only ring 0 may do and reports how each attempt was refused:
 *   - privileged instructions and I/O ports: general-protection faults;
 *   - kernel memory: page faults (the pages are there, ring 3 may not
 *     touch them);
 *   - system calls handed kernel addresses or unsafe registers: negative
 *     results, the kernel unharmed.
 * A swexn handler catches each fault and turns it into a return from the
 * probe, so one program survives all of them.
 */
#include <fable.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define KERNEL_TEXT 0x00100000u	/* the kernel image */
#define KERNEL_HEAP 0x00500000u	/* kernel allocations */
#define KERNEL_LAST 0x00FFFFFCu	/* last word below USER_MEM_START */
#define SEL_KCODE 0x10		/* the kernel's code segment (docs/abi/memory.md §1.4) */
#define EFLAGS_IF 0x200
#define EFLAGS_IOPL3 0x3000
#define RAN 0x7FFFFFFF		/* a probe's result when nothing stopped it */

/*
 * Probes: each is a bare assembly routine whose privileged instruction
 * runs with %esp pointing at the return address, so that the handler can
 * "return" for it. A probe returns RAN if the instruction completed; the
 * handler makes it return the exception's cause instead.
 */
#define PROBE(name, body) \
	int name(unsigned arg); \
	__asm__(".text\n" #name ":\n\tmovl 4(%esp), %ecx\n\t" body \
		"\n\tmovl $0x7FFFFFFF, %eax\n\tret\n")

PROBE(try_cli, "cli");
PROBE(try_sti, "sti");
PROBE(try_hlt, "hlt");
PROBE(try_read_cr3, "movl %cr3, %eax");
PROBE(try_write_cr0, "movl $0, %eax\n\tmovl %eax, %cr0");
PROBE(try_lidt, "lidt (%esp)");
PROBE(try_lgdt, "lgdt (%esp)");
PROBE(try_ltr, "movw $0x08, %ax\n\tltr %ax");
PROBE(try_invlpg, "invlpg (%ecx)");
PROBE(try_rdmsr, "rdmsr");
PROBE(try_wbinvd, "wbinvd");
PROBE(try_in_kbd, "inb $0x60, %al");
PROBE(try_out_serial, "movw $0x3F8, %dx\n\tmovb $'!', %al\n\toutb %al, %dx");
PROBE(try_out_poweroff, "movl $0, %eax\n\toutl %eax, $0xF4");
PROBE(try_int_timer, "int $0x20");
PROBE(try_int_pagefault, "int $0x0E");
PROBE(try_kernel_ds, "movw $0x18, %ax\n\tmovw %ax, %ds");
PROBE(try_kernel_call, "lcall $0x10, $0x00100000");
PROBE(try_read, "movl (%ecx), %eax");
PROBE(try_write, "movl $0, (%ecx)");

/* popf in ring 3 with IOPL 0 does not fault: it leaves IF alone. Returns
 * the IF bit after trying to clear it. */
int try_popf_cli(void);
__asm__(".text\ntry_popf_cli:\n"
	"\tpushfl\n\tandl $~0x200, (%esp)\n\tpopfl\n"
	"\tpushfl\n\tpopl %eax\n\tandl $0x200, %eax\n\tret\n");

static char exn_stack[4096] __attribute__((aligned(16)));
static int attempts, refusals;

/* The swexn handler: make the faulting probe return the cause. */
static void on_fault(void *arg, ureg_t *u)
{
	ureg_t *last = arg;
	*last = *u;
	u->eax = u->cause;
	u->eip = *(unsigned *)u->esp;	/* the probe's return address */
	u->esp += 4;
	swexn(exn_stack + sizeof exn_stack, on_fault, arg, u);
	printf("ringlies: cannot resume after a fault\n");
	exit(-1);
}

static ureg_t last_fault;	/* what the handler saw last */

static const char *cause_name(unsigned cause)
{
	switch (cause) {
	case SWEXN_CAUSE_PROTFAULT: return "general-protection fault";
	case SWEXN_CAUSE_PAGEFAULT: return "page fault";
	case SWEXN_CAUSE_SEGFAULT: return "segment not present";
	case SWEXN_CAUSE_OPCODE: return "invalid opcode";
	default: return "exception";
	}
}

/* Report one instruction probe; a probe that ran is a broken promise. */
static void report_fault(const char *what, int got)
{
	attempts++;
	if (got == RAN) {
		printf("ringlies: %-38s ALLOWED\n", what);
		return;
	}
	refusals++;
	char cr2[24] = "";
	if (got == SWEXN_CAUSE_PAGEFAULT)
		snprintf(cr2, sizeof cr2, ", cr2 %#x", last_fault.cr2);
	printf("ringlies: %-38s refused: %s (cause %#x, error %#x%s)\n",
	       what, cause_name(got), got, last_fault.error_code, cr2);
}

static void privileged_instructions(void)
{
	report_fault("cli (interrupts off)", try_cli(0));
	report_fault("sti", try_sti(0));
	report_fault("hlt (stop the CPU)", try_hlt(0));
	report_fault("mov %cr3, %eax (page directory)", try_read_cr3(0));
	report_fault("mov %eax, %cr0 (paging off)", try_write_cr0(0));
	report_fault("lidt (own interrupt table)", try_lidt(0));
	report_fault("lgdt (own segments)", try_lgdt(0));
	report_fault("ltr (own task-state segment)", try_ltr(0));
	report_fault("invlpg (flush a TLB entry)", try_invlpg(KERNEL_TEXT));
	report_fault("rdmsr (model-specific register)", try_rdmsr(0));
	report_fault("wbinvd (flush the caches)", try_wbinvd(0));
	report_fault("int $0x20 (fake a timer tick)", try_int_timer(0));
	report_fault("int $0x0e (fake a page fault)", try_int_pagefault(0));
	report_fault("mov $0x18, %ds (kernel data seg.)", try_kernel_ds(0));
	report_fault("lcall $0x10 (kernel code seg.)", try_kernel_call(0));
	attempts++;
	int still_on = try_popf_cli();
	refusals += still_on != 0;
	printf("ringlies: %-38s %s\n", "popf with IF clear",
	       still_on ? "refused: silently ignored, IF is still set" : "ALLOWED");
}

static void io_ports(void)
{
	report_fault("inb $0x60 (read the keyboard)", try_in_kbd(0));
	report_fault("outb to 0x3f8 (write the serial port)", try_out_serial(0));
	report_fault("outl to 0xf4 (power QEMU off)", try_out_poweroff(0));
}

static void kernel_addresses(void)
{
	report_fault("read 0x00100000 (kernel text)", try_read(KERNEL_TEXT));
	report_fault("write 0x00500000 (kernel heap)", try_write(KERNEL_HEAP));
	report_fault("read 0x00fffffc (last kernel word)", try_read(KERNEL_LAST));
	report_fault("read 0x00000000 (NULL)", try_read(0));
	report_fault("write own code (try_cli)", try_write((unsigned)try_cli));
}

/* Report one system call that must fail; result is what it returned. */
static void report_call(const char *what, int result)
{
	attempts++;
	refusals += result < 0;
	printf("ringlies: %-38s %s (%d)\n", what, result < 0 ? "refused" : "ALLOWED", result);
}

/* A register set that would return to user code in ring 0 (cs) or
 * with I/O privilege (eflags): swexn must refuse to load either. */
static int swexn_with(unsigned cs, unsigned eflags)
{
	ureg_t u;
	memset(&u, 0, sizeof u);
	u.ds = u.es = u.fs = u.gs = u.ss = 0x2B;
	u.cs = cs;
	u.eflags = eflags;
	u.eip = (unsigned)try_cli;
	u.esp = (unsigned)(exn_stack + sizeof exn_stack);
	return swexn(exn_stack + sizeof exn_stack, on_fault, &last_fault, &u);
}

static void bad_system_calls(void)
{
	int row, col;
	report_call("print from kernel memory", print(16, (char *)KERNEL_TEXT));
	report_call("readline into kernel memory", readline(16, (char *)KERNEL_HEAP));
	report_call("readfile into kernel memory",
		    readfile("readme.txt", (char *)KERNEL_HEAP, 16, 0));
	report_call("get_cursor_pos into kernel memory",
		    get_cursor_pos((int *)KERNEL_HEAP, &col));
	report_call("get_cursor_pos, 2nd pointer in kernel",
		    get_cursor_pos(&row, (int *)KERNEL_LAST));
	report_call("kstat into kernel memory", kstat((kstat_t *)KERNEL_HEAP));
	report_call("deschedule on a kernel flag", deschedule((int *)KERNEL_TEXT));
	report_call("new_pages over the kernel", new_pages((void *)KERNEL_HEAP, PAGE_SIZE));
	report_call("new_pages ending past 4 GiB", new_pages((void *)0xFFFFF000u, 2 * PAGE_SIZE));
	report_call("remove_pages of the kernel", remove_pages((void *)KERNEL_TEXT));
	report_call("exec with argv in kernel memory", exec("ringlies", (char **)KERNEL_HEAP));
	report_call("swexn handler in the kernel",
		    swexn(exn_stack + sizeof exn_stack, (swexn_handler_t)KERNEL_TEXT, 0, 0));
	report_call("swexn: load cs = kernel code", swexn_with(SEL_KCODE, EFLAGS_IF | 2));
	report_call("swexn: load eflags with IOPL 3",
		    swexn_with(0x23, EFLAGS_IF | EFLAGS_IOPL3 | 2));
}

int main(void)
{
	kstat_t before = { .size = sizeof before }, after = { .size = sizeof after };
	kstat(&before);
	if (swexn(exn_stack + sizeof exn_stack, on_fault, &last_fault, 0) < 0) {
		printf("ringlies: cannot register a swexn handler\n");
		return -1;
	}
	printf("ringlies: trying what only ring 0 may do\n");
	privileged_instructions();
	io_ports();
	kernel_addresses();
	bad_system_calls();
	swexn(0, 0, 0, 0);
	kstat(&after);
	printf("ringlies: %d of %d attempts refused\n", refusals, attempts);
	printf("ringlies: the kernel is unharmed: %u tasks, %u threads, %u free frames "
	       "(%u before)\n", after.tasks, after.threads, after.free_frames, before.free_frames);
	return refusals == attempts ? 0 : 1;
}
