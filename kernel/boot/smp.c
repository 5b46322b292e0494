/*
 * smp.c: finding the processors from the ACPI tables, or the MP tables
 * when there are none (docs/smp.md).
 *
 * The RSDP is searched where the ACPI specification puts it: the first
 * KiB of the EBDA, then the BIOS area 0xE0000-0xFFFFF. The RSDT and the
 * MADT may lie anywhere in RAM, often at its top, above the kernel's
 * identity map: they are copied out a page at a time through a KMAP slot
 * (mm/kmap.h), then parsed by madt.c on the copy. Without them (or with
 * acpi=off) the MP floating pointer is searched where the MP
 * specification puts it, and its configuration table is copied and
 * parsed the same way (mptable.c). Tables that do not check out are
 * reported and the kernel keeps to the boot CPU.
 *
 * Then the other processors are started one at a time (INIT-SIPI-SIPI);
 * each becomes like the boot CPU (its TSS, IDT, FPU, local APIC and
 * timer) and enters the scheduler on its own idle thread. A panic or a
 * poweroff stops them all with an NMI (smp_stop_others).
 */
#include "boot/smp.h"
#include "arch/x86/ioapic.h"
#include "arch/x86/lapic.h"
#include "arch/x86/mptable.h"
#include "arch/x86/trap.h"
#include "mm/kmap.h"
#include "mm/paging.h"
#include "arch/x86/x86.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "arch/x86/gdt.h"
#include "arch/x86/pit.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "proc/fpu.h"
#include "proc/sched.h"
#include "proc/thread.h"

_Static_assert(MADT_MAX_CPUS == MAX_CPUS, "the MADT parser keeps every CPU");
_Static_assert(GDT_CPUS == MAX_CPUS, "every CPU has a TSS of its own");

/* Lock tags (docs/sync.md): [b] boot, [a] atomic. */
struct madt_info smp_info = { .ncpus = 1 };	/* [b] */
static bool lapic_mapped;			/* [b] lapic_init succeeded */

#define BDA_EBDA_SEG	0x40E		/* BIOS data area: the EBDA's segment */
#define BDA_BASE_KIB	0x413		/* ... and the KiB of base memory */
#define BIOS_AREA	0xE0000u
#define BIOS_AREA_LEN	0x20000u
#define MP_ROM_AREA	0xF0000u
#define MP_ROM_LEN	0x10000u
#define TABLE_MAX	2048		/* the largest RSDT or MADT copied */

/* Copies len bytes at physical address pa into dst; false if some of them
 * are not RAM the kernel can reach (page 0, the DEV and KMAP pages, a range that
 * wraps past 4 GiB). The caller holds no kmap session. */
static bool phys_read(void *dst, uint32_t pa, size_t len)
{
	uint8_t *d = dst;

	if (pa < PAGE_SIZE || pa + len < pa)
		return false;
	while (len > 0) {
		size_t n = PAGE_SIZE - (pa & PAGE_MASK);
		if (n > len)
			n = len;
		if (pa < DEV_BASE) {
			memcpy(d, (const void *)pa, n);
		} else if (pa >= USER_MEM_START) {
			uint32_t f = kmap_begin();
			memcpy(d, (uint8_t *)kmap(KM_SRC, pa & ~PAGE_MASK) + (pa & PAGE_MASK), n);
			kmap_end(f);
		} else {
			return false;
		}
		d += n;
		pa += n;
		len -= n;
	}
	return true;
}

/* The BIOS data area sits in page 0, which the kernel leaves unmapped
 * to catch NULL: map it read-only for this one read, at boot, before any
 * other thread exists. */
static uint32_t bda_read16(uintptr_t va)
{
	asm("" : "+r"(va));	/* gcc takes any address in page 0 for NULL */
	*kernel_pte(0) = PTE_P;
	uint32_t v = *(volatile uint16_t *)va;
	kernel_page_unmap(0);
	return v;
}

static uint32_t ebda_base(void)
{
	return bda_read16(BDA_EBDA_SEG) << 4;
}

static long rsdp_search(void)
{
	uint32_t ebda = ebda_base();
	long off;

	if (ebda >= PAGE_SIZE && ebda < BIOS_AREA &&
	    (off = rsdp_find((const uint8_t *)ebda, 1024)) >= 0)
		return (long)ebda + off;
	off = rsdp_find((const uint8_t *)BIOS_AREA, BIOS_AREA_LEN);
	return off < 0 ? -1 : (long)BIOS_AREA + off;
}

/* Copies the table at pa (header first, for its length) into buf. */
static const char *table_read(uint8_t *buf, uint32_t pa, const char *sig)
{
	if (!phys_read(buf, pa, SDT_HDR_LEN))
		return "table out of reach";
	uint32_t len = buf[4] | buf[5] << 8 | buf[6] << 16 | (uint32_t)buf[7] << 24;
	if (len > TABLE_MAX)
		return "table too large";
	if (len > SDT_HDR_LEN && !phys_read(buf + SDT_HDR_LEN, pa + SDT_HDR_LEN, len - SDT_HDR_LEN))
		return "table out of reach";
	return sdt_check(buf, TABLE_MAX, sig);
}

static uint8_t rsdt[TABLE_MAX], madt[TABLE_MAX];	/* [b] copies */

static const char *acpi_read(struct madt_info *mi)
{
	long rsdp = rsdp_search();
	uint32_t pa;
	const char *why;

	if (rsdp < 0)
		return "no ACPI";
	if ((why = rsdp_parse((const uint8_t *)rsdp, RSDP_V1_LEN, &pa)) ||
	    (why = table_read(rsdt, pa, "RSDT")))
		return why;
	for (unsigned i = 0; rsdt_entry(rsdt, i, &pa) == NULL; i++) {
		uint8_t sig[4];
		if (phys_read(sig, pa, 4) && memcmp(sig, "APIC", 4) == 0) {
			if ((why = table_read(madt, pa, "APIC")))
				return why;
			return madt_parse(madt, TABLE_MAX, mi);
		}
	}
	return "no MADT";
}

/* The MP floating pointer: in the first KiB of the EBDA, the last KiB
 * of base memory, or the BIOS ROM 0xF0000-0xFFFFF (MP spec. 4.0). */
static long mp_search(void)
{
	uint32_t areas[2] = { ebda_base(), (bda_read16(BDA_BASE_KIB) << 10) - 1024 };
	long off;

	for (int i = 0; i < 2; i++)
		if (areas[i] >= PAGE_SIZE && areas[i] < BIOS_AREA &&
		    (off = mp_float_find((const uint8_t *)areas[i], 1024)) >= 0)
			return (long)areas[i] + off;
	off = mp_float_find((const uint8_t *)MP_ROM_AREA, MP_ROM_LEN);
	return off < 0 ? -1 : (long)MP_ROM_AREA + off;
}

static uint8_t mpc[TABLE_MAX];	/* [b] the copy of the MP configuration table */

static const char *mp_read(struct madt_info *mi)
{
	long fp = mp_search();
	uint32_t pa;
	const char *why;

	if (fp < 0)
		return "no MP floating pointer";
	if ((why = mp_float_parse((const uint8_t *)fp, MP_FLOAT_LEN, &pa)))
		return why;
	if (!phys_read(mpc, pa, MP_HDR_LEN))
		return "MP table out of reach";
	uint32_t len = mp_config_len(mpc);
	if (len > TABLE_MAX)
		return "MP table too large";
	if (len > MP_HDR_LEN && !phys_read(mpc + MP_HDR_LEN, pa + MP_HDR_LEN, len - MP_HDR_LEN))
		return "MP table out of reach";
	return mp_config_parse(mpc, len, mi);
}

/* The ACPI tables, unless acpi is false; failing those, the MP tables. */
static bool tables_read(struct madt_info *mi, bool acpi)
{
	const char *why = acpi ? acpi_read(mi) : "acpi=off";
	const char *mp_why;

	if (!why)
		return true;
	if ((mp_why = mp_read(mi))) {
		klog(LOG_WARN, "smp: ACPI tables refused (%s), MP tables refused (%s): one CPU",
		     why, mp_why);
		return false;
	}
	klog(LOG_INFO, "smp: no ACPI tables used (%s): the MP tables describe the machine", why);
	return true;
}

void smp_init(unsigned limit, bool acpi)
{
	struct madt_info mi;

	if (!tables_read(&mi, acpi))
		return;
	if (mi.extra)
		klog(LOG_WARN, "smp: %u processors past the first %d ignored", mi.extra, MAX_CPUS);
	unsigned found = mi.ncpus;
	if (limit >= 1 && limit < mi.ncpus)
		mi.ncpus = limit;
	smp_info = mi;
	klog(LOG_INFO, "smp: %u cpu(s) found, %u used; local APIC at 0x%x, I/O APIC %s",
	     found, mi.ncpus, (unsigned)mi.lapic_phys, mi.have_ioapic ? "found" : "absent");
	for (unsigned i = 0; i < mi.ncpus; i++)
		klog(LOG_INFO, "smp: cpu %u has apic id %u", i, (unsigned)smp_info.apic_id[i]);
	if (!lapic_present() || !lapic_init(kernel_device_map(mi.lapic_phys))) {
		klog(LOG_WARN, "smp: no local APIC: one CPU");
		smp_info.ncpus = 1;
		return;
	}
	lapic_mapped = true;
	klog(LOG_INFO, "smp: the boot CPU's local APIC says apic id %u", lapic_id());
}

/* The I/O APIC, when there is one, the boot CPU's local APIC answers
 * and use allows it, delivers the ISA IRQs to the boot CPU, at the
 * vectors the 8259s used (0x20 + IRQ: the keyboard's 0x21 is part of
 * the ABI); otherwise the 8259s go on doing it. */
void smp_irq_init(bool use)
{
	const struct madt_info *mi = &smp_info;
	const char *why = !use ? "noioapic" : !mi->have_ioapic ? "no I/O APIC" :
			  !lapic_mapped ? "no local APIC" : NULL;

	if (!why) {
		/* Its registers need not start a page (the tables say where). */
		uint8_t *page = kernel_device_map(mi->ioapic_phys & ~PAGE_MASK);
		if (!ioapic_init(page ? page + (mi->ioapic_phys & PAGE_MASK) : NULL,
				 mi->ioapic_gsi_base))
			why = "the I/O APIC does not answer";
	}
	if (why) {
		klog(LOG_INFO, "irq: the 8259 PICs deliver the IRQs (%s)", why);
		return;
	}
	irq_use_ioapic(mi->isa, lapic_id());
	klog(LOG_INFO, "irq: the I/O APIC at 0x%x (GSI base %u) delivers the IRQs to apic id %u; "
	     "timer IRQ 0 at GSI %u", (unsigned)mi->ioapic_phys, (unsigned)mi->ioapic_gsi_base,
	     lapic_id(), (unsigned)mi->isa[0].gsi);
}

/* Starting the application processors (Intel SDM vol. 3A, 8.4.4): INIT,
 * 10 ms, start-up, 200 us, start-up again. The waits count PIT ticks
 * (10 ms each, and a wait begins at an unknown point of a tick, so "at
 * least one tick" is two). Under QEMU TCG the clock is real time too. */
#define AP_STACK	KSTACK_SIZE
#define AP_TIMEOUT	(TICK_HZ)	/* one second to report in */

extern char ap_tramp_start[], ap_tramp_end[];
extern uint32_t ap_tramp_cr3, ap_tramp_stack, ap_tramp_entry;

/* Each AP's boot stack becomes its idle thread's (sched_start), whole
 * pages, as curthread() finds a thread by its stack's pages. */
static uint8_t ap_stacks[MAX_CPUS][AP_STACK] __attribute__((aligned(PAGE_SIZE)));	/* [b] */
static struct thread ap_idle[MAX_CPUS];		/* [b] */
static uint32_t timer_count;			/* [b] APIC timer counts a tick */
/* [a] written by the AP starting, read by the boot CPU waiting for it */
static volatile uint32_t ap_reported, ap_apic_id;
static volatile unsigned ap_index;	/* [a] the CPU being started */

static void wait_ticks(uint32_t n)
{
	uint32_t t0 = pit_ticks();

	while (pit_ticks() - t0 < n)
		__asm__ volatile("pause");
}

/* Stopping the others (docs/smp.md, "Stopping"). CPU bits are
 * cpu_index() numbers. */
static volatile uint32_t cpus_running = 1;	/* [a] bit i: cpu i runs; the boot CPU does */
static volatile uint32_t cpus_stopped;		/* [a] bit i: cpu i took the stop NMI */
static volatile uint32_t stopping;		/* [a] 1 once a stop began: an NMI is ours */
/* [a] how the stopped CPUs report (NULL: they do not); set before the
 * first NMI is sent, read by its handler */
static void (*volatile stop_report)(const char *fmt, ...);
static volatile uint32_t report_turn;		/* [a] 1 while a CPU prints its report: xchg */
#define STOP_WAIT	(1ull << 31)	/* TSC cycles (about a second) for one CPU to stop */

static void __attribute__((noreturn)) halt_for_good(void)
{
	for (;;) {
		cli();
		hlt();
	}
}

/*
 * The NMI. One that smp_stop_others sent: report where this CPU was if
 * asked (its registers of note, and the backtrace), then halt for good,
 * whatever it ran: a thread, perhaps holding locks, or its idle loop. A
 * handler that never returns (no iret) keeps further NMIs blocked, and
 * maskable interrupts (its APIC timer's, IPIs) stay off, so nothing
 * wakes this CPU again. Reports go one at a time, each naming its CPU.
 * Any other NMI is the hardware reporting an error the kernel cannot act
 * on: a panic, as before this handler existed.
 */
static void nmi(struct trapframe *tf)
{
	if (!__atomic_load_n(&stopping, __ATOMIC_SEQ_CST))
		panic_trap(tf);
	unsigned cpu = cpu_index();
	void (*out)(const char *fmt, ...) = stop_report;
	if (out) {
		while (xchg(&report_turn, 1))
			__asm__ volatile("pause");
		out(" cpu %u (apic id %u) stopped: eip=%08x ebp=%08x eflags=%08x cs=%04x\n",
		    cpu, lapic_id(), tf->eip, tf->ebp, tf->eflags, tf->cs & 0xFFFF);
		backtrace_print_to(out, tf->eip, tf->ebp);
		xchg(&report_turn, 0);
	}
	__atomic_or_fetch(&cpus_stopped, 1u << cpu, __ATOMIC_SEQ_CST);
	halt_for_good();
}

/* One CPU at a time: each report comes whole, in CPU order, and a CPU
 * that never answers (its local APIC refused the NMI, or it hangs with
 * NMIs blocked) costs one STOP_WAIT and is passed over. */
unsigned smp_stop_others(void (*report)(const char *fmt, ...))
{
	uint32_t others = cpus_running & ~cpus_stopped & ~(1u << cpu_index());

	if (others == 0)
		return 0;
	stop_report = report;
	__atomic_store_n(&stopping, 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		if (!(others & 1u << i) || !lapic_send_nmi(cpus[i].apic_id))
			continue;
		uint64_t t0 = rdtsc();
		while (!(__atomic_load_n(&cpus_stopped, __ATOMIC_SEQ_CST) & 1u << i) &&
		       rdtsc() - t0 < STOP_WAIT)
			__asm__ volatile("pause");
	}
	unsigned n = 0;
	for (uint32_t m = __atomic_load_n(&cpus_stopped, __ATOMIC_SEQ_CST) & others; m; m &= m - 1)
		n++;
	return n;
}

/* An AP's first C code: its own TSS (and so its cpu_index()), the IDT
 * (from here an NMI may stop it), its FPU and local APIC made like the
 * boot CPU's; it reports in, starts its timer and becomes its idle
 * thread, taking threads from the run queue like every CPU (docs/smp.md). */
static void ap_main(void)
{
	unsigned n = ap_index;

	gdt_load_ap(n);
	idt_load();
	fpu_init_ap();
	lapic_enable(T_LAPIC_SPURIOUS);
	ap_apic_id = lapic_id();
	__atomic_or_fetch(&cpus_running, 1u << n, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&ap_reported, 1, __ATOMIC_SEQ_CST);
	lapic_timer_start(T_LAPIC_TIMER, timer_count);
	sched_start(&ap_idle[n], ap_stacks[n], AP_STACK);
}

/* The word at the trampoline's copy that corresponds to sym in the image. */
static uint32_t *tramp_word(uint32_t *sym)
{
	return (uint32_t *)(AP_TRAMPOLINE + ((char *)sym - ap_tramp_start));
}

/* lapic_ipi with interrupts off: a tick's reschedule IPI to a CPU
 * already started must not come between its two register writes. */
static bool boot_ipi(unsigned id, uint32_t cmd)
{
	uint32_t flags = read_eflags();

	cli();
	bool ok = lapic_ipi(id, cmd);
	write_eflags(flags);
	return ok;
}

/* Start the CPU of the MADT's entry m as CPU index cpu. */
static bool start_ap(unsigned m, unsigned cpu)
{
	unsigned id = smp_info.apic_id[m];
	uint32_t before = ap_reported;

	*tramp_word(&ap_tramp_stack) = (uint32_t)(ap_stacks[cpu] + AP_STACK);
	ap_index = cpu;
	sched_add_cpu(cpu, id);
	vm_cpu_add(cpu, id);
	if (!boot_ipi(id, ICR_INIT))
		return false;
	wait_ticks(2);
	for (int i = 0; i < 2; i++) {
		if (!boot_ipi(id, ICR_STARTUP | AP_TRAMPOLINE >> PAGE_SHIFT))
			return false;
		wait_ticks(2);
	}
	uint32_t t0 = pit_ticks();
	while (__atomic_load_n(&ap_reported, __ATOMIC_SEQ_CST) == before)
		if (pit_ticks() - t0 > AP_TIMEOUT)
			return false;
	klog(LOG_INFO, "smp: cpu %u (apic id %u) is up", cpu, (unsigned)ap_apic_id);
	return true;
}

/* This CPU's local APIC timer ticked: its thread's share of the tick. */
static void cpu_tick(struct trapframe *tf)
{
	(void)tf;
	lapic_eoi();	/* first: the tick may switch threads */
	sched_cpu_tick();
}

static void resched_ipi(struct trapframe *tf)
{
	(void)tf;
	lapic_eoi();
	sched_resched();
}

/* The boot CPU's local APIC takes over its preemption from the PIT, at
 * the PIT's rate: counts measured against two PIT ticks. */
static void timers_start(void)
{
	trap_set(T_LAPIC_TIMER, cpu_tick, false);
	trap_set(T_RESCHED, resched_ipi, false);
	lapic_enable(T_LAPIC_SPURIOUS);	/* again, if the I/O APIC's did */
	timer_count = lapic_timer_calibrate();
	klog(LOG_INFO, "smp: local APIC timer: %u counts a tick", (unsigned)timer_count);
	sched_cpu_timers = true;
	lapic_timer_start(T_LAPIC_TIMER, timer_count);
}

void smp_start_aps(void)
{
	unsigned self = lapic_id();

	if (smp_info.ncpus < 2)
		return;
	sched_add_cpu(0, self);
	vm_cpu_add(0, self);
	trap_set(T_NMI, nmi, false);
	timers_start();
	memcpy((void *)AP_TRAMPOLINE, ap_tramp_start, ap_tramp_end - ap_tramp_start);
	*tramp_word(&ap_tramp_cr3) = (uint32_t)kernel_pd;
	*tramp_word(&ap_tramp_entry) = (uint32_t)ap_main;
	/* CPU indexes (cpu_index()) are given in the order the CPUs come
	 * up, the boot CPU's 0, whatever the MADT's order. */
	unsigned next = 1;
	for (unsigned i = 0; i < smp_info.ncpus; i++) {
		unsigned id = smp_info.apic_id[i];
		if (id == self)
			continue;
		if (start_ap(i, next))
			next++;
		else
			klog(LOG_WARN, "smp: cpu %u (apic id %u) did not answer; skipped", i, id);
	}
}
