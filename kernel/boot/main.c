/*
 * main.c: the boot story. entry.S gives us a stack and calls
 * kernel_main(); each line below brings up one subsystem, in the order
 * in which they depend on each other.
 */
#include <stdint.h>
#include "arch/x86/gdt.h"
#include "arch/x86/pic.h"
#include "arch/x86/pit.h"
#include "boot/smp.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "boot/bootinfo.h"
#include "dev/ata.h"
#include "dev/blkdev.h"
#include "dev/console.h"
#include "dev/input.h"
#include "dev/kbd.h"
#include "dev/pci.h"
#include "dev/ramdisk.h"
#include "dev/rtc.h"
#include "dev/serial.h"
#include "fs/file.h"
#include "fs/mount.h"
#include "fs/bcache.h"
#include "fs/trust.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "net/net.h"
#include "proc/fpu.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "syscall/syscall.h"
#include "debug/debug.h"
#include "debug/ktest.h"
#include "debug/trace.h"

#define FABLE_VERSION "0.1"

/* Options of the kernel command line that shape the boot itself. */
static void apply_options(void)
{
	const char *lvl = cmdline_get(&bootinfo.cmd, "loglevel", "2");
	klog_set_level(lvl[0] - '0');
	panic_set_poweroff(strcmp(cmdline_get(&bootinfo.cmd, "panic", "halt"), "poweroff") == 0);
}

/* cpus=N: how many processors to use (0 or absent: every one the tables
 * list). Digits only; anything else reads as "no limit". */
static unsigned cpus_option(void)
{
	unsigned n = 0;

	for (const char *s = cmdline_get(&bootinfo.cmd, "cpus", ""); *s; s++) {
		if (*s < '0' || *s > '9' || n > MAX_CPUS)
			return n > MAX_CPUS ? MAX_CPUS : 0;
		n = n * 10 + (unsigned)(*s - '0');
	}
	return n;
}

/* ata=pio: the disks move data by PIO only, never by DMA. */
static bool ata_dma_option(void)
{
	return strcmp(cmdline_get(&bootinfo.cmd, "ata", "dma"), "pio") != 0;
}

/* acpi=off: find the processors in the MP tables instead of ACPI's. */
/* secure=1 (docs/secure-boot.md): exec runs only the manifest's programs. */
static bool secure_option(void)
{
	return strcmp(cmdline_get(&bootinfo.cmd, "secure", "0"), "1") == 0;
}

static bool acpi_option(void)
{
	return strcmp(cmdline_get(&bootinfo.cmd, "acpi", "on"), "off") != 0;
}

/* A number option of the command line: digits only, else def. */
static unsigned number_option(const char *key, unsigned def)
{
	unsigned n = 0;
	const char *s = cmdline_get(&bootinfo.cmd, key, "");
	if (!*s)
		return def;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > 100000)
			return def;
		n = n * 10 + (unsigned)(*s - '0');
	}
	return n;
}

static struct thread idle_thread;
extern char boot_stack[], boot_stack_top[];	/* entry.S */
/* Lock tags (docs/sync.md): [b] boot. */
static const char *ktest_name;	/* [b] */

static void ktest_thread(void)
{
	ktest_run(ktest_name);
}

/* The first program: the one after "--" on the command line, or init. */
static void start_first_program(void)
{
	static char *init_argv[] = { "init", NULL };
	char *const *argv = bootinfo.cmd.argc ? bootinfo.cmd.argv : init_argv;
	/* secure=1: the first program passes exec's check too. */
	const struct rd_file *f = trust_enforced() ? ramdisk_find(argv[0]) : NULL;
	int id = f ? trust_ramdisk(argv[0], f) : 0;
	if (id == 0)
		id = proc_start_first(argv);
	if (id < 0)
		panic("cannot start the first program %s (error %d)", argv[0], id);
	klog(LOG_INFO, "proc: started %s as task %d", argv[0], id);
}

/* With a disk: mount it (its transfers sleep, so a thread does it, before
 * any task runs), then start the first program. */
static void disk_thread(void)
{
	files_mount_disk(blkdev_find("hda"));
	start_first_program();
	proc_kthread_exit();
}

static void banner(void)
{
	console_set_color(FGND_YLLW | BGND_BLUE);
	cprintf(" Fable %s ", FABLE_VERSION);
	console_set_color(FGND_LGRAY | BGND_BLACK);
	cprintf(" a small Unix-flavoured kernel for 32-bit x86\n\n");
}

void kernel_main(uint32_t magic, uint32_t mbi)
{
	pic_init();		/* mask every IRQ, move them off the exceptions */
	serial_init();		/* the debug log, as early as possible */
	bootinfo_init(magic, mbi);	/* copy what the loader left us */
	apply_options();
	klog(LOG_INFO, "fable %s booting", FABLE_VERSION);
	bootinfo_print();

	gdt_init();		/* our segments and the TSS */
	idt_init();		/* every vector lands in trap() */
	console_init();		/* clear the screen */
	banner();
	page_zero_init();	/* zero pages with SSE stores if the CPU has them */
	mm_init(&bootinfo.map);	/* frames, kernel heap, paging on */
	gdt_init_double_fault(read_cr3());	/* a report even for a blown stack */
	smp_init(cpus_option(), acpi_option());	/* find the processors */
	trace_boot(cmdline_get(&bootinfo.cmd, "trace", ""));	/* a kmalloc'd ring for each of them */
	smp_irq_init(!cmdline_get(&bootinfo.cmd, "noioapic", NULL));	/* I/O APIC or 8259s */
	pit_init();		/* 100 Hz tick */
	rtc_init();		/* the time of day, from the CMOS clock */
	kbd_init();		/* keys and serial bytes feed one input stream */
	serial_set_rx(input_put);
	fpu_init();		/* x87 state follows threads lazily */
	if (bcache_init(number_option("bcache", 0)))	/* bcache=N blocks */
		klog(LOG_WARN, "bcache: no memory for its buffers");
	files_init();		/* the RAM disk at /, a tmpfs at /tmp */
	trust_init(&bootinfo.map, secure_option());	/* secure=1: the manifest */
	syscall_init();		/* open the system-call gates */

	sti();			/* from here on interrupts arrive */
	smp_start_aps();	/* start the others: they run threads too */
	pci_init();		/* every PCI function, for the drivers below */
	ata_init(ata_dma_option());	/* the disks; their probes count ticks */
	net_init(!cmdline_get(&bootinfo.cmd, "netstatic", NULL));	/* e1000, network thread */
	klog(LOG_INFO, "fable: ready");

	ktest_name = cmdline_get(&bootinfo.cmd, "ktest", NULL);
	if (ktest_name)		/* in-kernel tests run in a thread: they may block */
		proc_kthread(ktest_thread);
	else if (blkdev_find("hda"))	/* the tests' disks are theirs alone */
		proc_kthread(disk_thread);
	else
		start_first_program();
	sched_start(&idle_thread, boot_stack, boot_stack_top - boot_stack);	/* this context becomes the idle thread */
}
