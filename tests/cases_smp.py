"""Scripted tests of several processors (docs/smp.md): the kernel finds
the processors QEMU gives it (-smp N) in the ACPI tables, keeps at most
cpus=N of them, starts the others (each reports in) and runs threads on
all of them; poweroff still ends QEMU. Then the programs that press
hardest on what SMP changed - the fuzzer, the stress programs, the
deschedule hand-off, TLB shootdown and copy-on-write across CPUs - at
four CPUs whatever the run's count, and the fuzzer on the debug kernel
(lock checks on) at four."""
import re

from tests.cases_fuzz import debug_kernel
from tests.cases_shell import command, expect_run, start, status_of
from tests.runner import case
from tests.runner.discover import check_report
from tests.runner.registry import Panic
from tests.runner.session import EXIT_PANIC, describe_exit

FOUND = r"smp: (\d+) cpu\(s\) found, (\d+) used; local APIC at 0xfee00000, I/O APIC found"


def found(s, total, used):
    """The discovery line says total processors found and used, and one
    line names each used one's local APIC id (QEMU numbers them 0..)."""
    m = s.wait_for(FOUND)
    if (int(m[1]), int(m[2])) != (total, used):
        s.fail(f"found {m[1]}, used {m[2]}; expected {total} and {used}")
    for cpu in range(used):
        s.wait_for(rf"smp: cpu {cpu} has apic id {cpu}\n")
    if re.search(rf"smp: cpu {used} has", s.serial):
        s.fail(f"cpu {used} listed past the limit")
    # Read from the local APIC's registers, through the device page.
    s.wait_for(r"smp: the boot CPU's local APIC says apic id 0\n")
    # The local APIC timers are calibrated (several CPUs only).
    if used > 1:
        s.wait_for(r"smp: local APIC timer: \d+ counts a tick\n")
    # Each other one started, reporting its own id read from its APIC.
    for cpu in range(1, used):
        s.wait_for(rf"smp: cpu {cpu} \(apic id {cpu}\) is up\n")
    s.wait_for(r"fable: ready")
    if re.search(rf"smp: cpu {used} \(apic id", s.serial):
        s.fail(f"cpu {used} started past the limit")


def no_complaint(s):
    """No warning or error from bring-up."""
    for line in s.serial.split("\n"):
        if re.search(r"(warn|error): smp:", line):
            s.fail(f"unexpected: {line!r}")


@case(boot=False, timeout=90)
def smp_four_cpus(s):
    """-smp 4: four processors found, cpus 1..3 report in; the system
    reaches the shell and runs the smoke test as on one."""
    s.boot("", smp=4)
    found(s, 4, 4)
    start(s)
    expect_run(s, "leakcheck smoke", "LEAKCHECK PASS smoke", 0)
    no_complaint(s)


@case(boot=False, timeout=60)
def smp_cpus_option(s):
    """cpus=2 on -smp 4: two used of the four found: one AP started."""
    s.boot("cpus=2 -- leakcheck -p smoke", smp=4)
    found(s, 4, 2)
    s.expect_test_pass("smoke")
    no_complaint(s)


@case(boot=False, timeout=60)
def smp_one_cpu(s):
    """-smp 1: one processor, no AP started, nothing said as a warning."""
    s.boot("-- leakcheck -p smoke", smp=1)
    found(s, 1, 1)
    s.expect_test_pass("smoke")
    no_complaint(s)


# (program and arguments, time limit) run at four CPUs.
SMP_PROGRAMS = [
    ("fuzz calls=60000 tasks=4 workers=8 seed=3", 240),
    ("stress_threads", 120), ("stress_memory", 180), ("stress_vanish", 120),
    ("desched_stress", 300), ("tlb_shootdown", 180), ("cow_smp", 180),
    ("tasklist_cpus spread=4", 60),
]


def smp_program(s, line):
    s.boot_test(line, smp=4)
    s.expect_test_pass(line.split()[0])


def smp_case(line, timeout):
    case(f"smp4_{line.split()[0]}", boot=False, timeout=timeout)(lambda s: smp_program(s, line))


for _line, _timeout in SMP_PROGRAMS:
    smp_case(_line, _timeout)


@case(boot=False, timeout=120)
def smp2_kstat_cpus(s):
    """kstat's per-CPU records at two CPUs (user/tests/kstat_cpus.c): two
    run, the records add up to the sums, a busy thread on the other CPU
    makes some CPU shoot down and both switch."""
    s.boot_test("kstat_cpus cpus=2", smp=2)
    s.expect_test_pass("kstat_cpus")


@case(boot=False, timeout=120)
def smp1_kstat_cpus(s):
    """At one CPU: one runs, the records of cpus 1 to 7 are zeros, and no
    CPU sent an IPI or shot down."""
    s.boot_test("kstat_cpus cpus=1", smp=1)
    s.expect_test_pass("kstat_cpus")


@case(boot=False, timeout=90)
def smp2_cpus_program(s):
    """cpus at two CPUs prints a line for each: its index, an idle share
    of at most 100%, and the switches it made."""
    s.boot("", smp=2)
    start(s)
    out = command(s, "cpus")
    rows = re.findall(r"^\s*(\d+)\s+(\d+)\.\d\s+(\d+)\s+\d+\s+\d+\s*$", out, re.M)
    if status_of(s, out, "cpus") != 0 or [int(r[0]) for r in rows] != [0, 1]:
        s.fail(f"cpus: want lines for cpus 0 and 1; got {out!r}")
    if any(int(idle) > 100 or int(switches) == 0 for _, idle, switches in rows):
        s.fail(f"cpus: an idle share past 100% or a CPU that never switched: {rows}")


@case(boot=False, timeout=400)
def smp4_debug_kernel_fuzz(s):
    """The fuzzer on the debug kernel at four CPUs: every "caller holds"
    check asks whether this CPU holds the spinlock, and no CPU takes one
    twice."""
    debug_kernel(s)
    s.boot_test("fuzz calls=40000", smp=4)
    s.expect_test_pass("fuzz")
    if "invariant violated" in s.serial:
        s.fail("an invariant check failed")


@case(boot=False, timeout=60)
def smp_panic_stops_all(s):
    """A panic at -smp 4: the panicking CPU (whichever ran the ktest's
    thread) reports, then each other CPU, stopped by an NMI wherever it
    was (its idle loop, a thread), prints its own number, registers and
    backtrace once to the serial log, one after the other, in CPU order;
    the screen gets one line for them all, so the panic's own report
    stays on it; then the report ends with the running thread and QEMU
    ends with the panic status."""
    s.boot("ktest=panic_cpus", smp=4)
    code = s.wait_exit()
    if code != EXIT_PANIC:
        s.fail(f"{describe_exit(code)}, expected a panic; last line: {s.last_line()!r}")
    check_report(s, s.serial, "serial", None)
    text = s.serial[s.serial.index("PANIC: ktest: giving up on purpose"):]
    stops = re.findall(r"\n cpu (\d+) \(apic id (\d+)\) stopped: eip=[0-9a-f]{8} ebp=.*\n"
                       r" backtrace:\n  #0 [0-9a-f]{8} (\w+)\+", text)
    # QEMU numbers the APIC ids 0..3 and the CPUs come up in that order.
    cpus = [int(c) for c, a, _ in stops if c == a]
    if len(stops) != 3 or len(cpus) != 3 or cpus != sorted(set(cpus)) or max(cpus) > 3:
        s.fail(f"expected the three other cpus each to report once, in order; got {stops}")
    last_stop = text.rindex(") stopped: eip=")
    if text.find(" running: kernel thread", last_stop) < 0:
        s.fail("the panicking CPU did not finish its report after the others")
    # The reports are short enough to leave the panic's own on the screen.
    screen = "\n".join(s.final_screen().lines)
    check_report(s, screen, "screen", None)
    if " 3 other cpu(s) stopped; their state is in the serial log" not in screen:
        s.fail("the screen does not say that the three other cpus stopped")


@case(boot=False, timeout=60, drives="panic_double_fault_ap")
def smp_double_fault_ap(s):
    """A kernel stack overflow on a CPU other than the boot CPU, at -smp 2:
    the double-fault task reports it as that CPU's (its task register
    names no CPU's TSS, kernel/arch/x86/gdt.c), stops the boot CPU with
    an NMI, and QEMU ends with the panic status. Before, the panic took
    itself for CPU 0, stopped itself and left QEMU running."""
    s.boot("ktest=panic_double_fault_ap", smp=2)
    code = s.wait_exit()
    if code != EXIT_PANIC:
        s.fail(f"{describe_exit(code)}, expected a panic; last line: {s.last_line()!r}")
    check_report(s, s.serial, "serial", Panic("Double fault", None))
    if not re.search(r"\n cpu 0 \(apic id 0\) stopped: eip=", s.serial):
        s.fail("the boot CPU was not reported stopped")
    if re.search(r"\n cpu 1 \(apic id 1\) stopped: eip=", s.serial):
        s.fail("the CPU that double-faulted stopped itself as another")


@case(boot=False, timeout=90)
def smp_mp_tables(s):
    """acpi=off at -smp 4: the kernel reads the MP tables SeaBIOS also
    builds (kernel/arch/x86/mptable.c) and finds the same four
    processors and I/O APIC as in the MADT, starts cpus 1..3, routes the
    ISA IRQs (the MP table's assignment sends IRQ 0 to input 2) and runs
    the shell's smoke test. Four sockets: an MP table lists one
    processor per package (docs/smp.md), and QEMU's -smp 4 alone is one
    package of four cores."""
    s.boot("acpi=off", smp="4,sockets=4")
    s.wait_for(r"smp: no ACPI tables used \(acpi=off\): the MP tables describe the machine\n")
    found(s, 4, 4)
    if not re.search(r"irq: the I/O APIC at 0xfec00000 \(GSI base 0\) delivers the IRQs to "
                     r"apic id 0; timer IRQ 0 at GSI 2\n", s.serial):
        s.fail("the ISA IRQs are not routed as the MP table says")
    start(s)
    expect_run(s, "leakcheck smoke", "LEAKCHECK PASS smoke", 0)
    no_complaint(s)


@case(boot=False, timeout=60, drives="serial_lines_whole")
def serial_lines_smp(s):
    """Two CPUs write to the serial line at once (kernel/test/ktest_serial.c):
    a kernel thread 200 lines of 200 bytes by the queued path, several
    chunks each, and another thread a short line a tick polled, as a
    kernel message is from a CPU that cannot sleep. No short line comes
    out inside a long one: before the change one went in between two
    chunks of a long line, or while its writer slept for room. (A long
    line that lost bytes without a short one inside is another matter,
    seen once in 30 runs and not found yet: docs/smp.md.)"""
    s.boot("ktest=serial_lines_whole", smp=2)
    s.expect_pass("KTEST PASS serial_lines_whole")
    lines = s.serial.replace("\r", "").split("\n")
    longs = [l for l in lines if re.fullmatch(r"SLQ\d{3} q{200}", l)]
    shorts = [l for l in lines if re.fullmatch(r"SLP\d{3} p{20}", l)]
    mixed = [l for l in lines if "SLQ" in l and "SLP" in l or re.search(r"q+SLP|SLP\d{3} p{20}q", l)]
    if mixed:
        s.fail(f"{len(mixed)} lines mixed, the first: {mixed[0]!r}")
    if len(longs) < 190 or not shorts:
        s.fail(f"{len(longs)} whole long lines (want 200) and {len(shorts)} short ones (want some)")
