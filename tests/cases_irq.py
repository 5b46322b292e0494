"""The interrupt controllers (docs/interrupts.md, "Hardware interrupts"):
by default the I/O APIC the ACPI tables name delivers the ISA IRQs to the
boot CPU at 0x20 + IRQ (the MADT's override sends the timer's IRQ 0 to
its input 2), acknowledged at the local APIC; with noioapic on the
command line the 8259 PICs do, as before. The keyboard, the serial line
and the timer work the same either way."""
from tests.cases import keyboard_line, serial_input, ticks_take_host_time
from tests.cases_console import FLOOD_LINES, keys_cpus, type_flood
from tests.cases_fuzz import TYPED_LINES, prints_whole, type_lines
from tests.runner import case

IOAPIC = (r"irq: the I/O APIC at 0xfec00000 \(GSI base 0\) delivers the IRQs to apic id 0; "
          r"timer IRQ 0 at GSI 2\n")
PICS = r"irq: the 8259 PICs deliver the IRQs \(noioapic\)\n"


def through(s, line):
    """The boot log says which controller delivers the IRQs, before the
    first device is set up."""
    s.wait_for(line)


@case(boot=False, timeout=40)
def irq_ioapic_keyboard(s):
    """Without options the I/O APIC delivers the IRQs; typing on the PS/2
    keyboard (IRQ 1, vector 0x21) works as on the PICs."""
    s.boot("ktest=kbd_echo")
    through(s, IOAPIC)
    keyboard_line(s)


@case(boot=False, timeout=30)
def irq_ioapic_serial(s):
    """Bytes received on COM1 (IRQ 4) through the I/O APIC."""
    s.boot("ktest=kbd_echo")
    through(s, IOAPIC)
    serial_input(s)


@case(boot=False, timeout=20)
def irq_ioapic_ticks(s):
    """The PIT's IRQ 0, at the I/O APIC's input 2, ticks at 100 Hz."""
    s.boot("ktest=ticks")
    through(s, IOAPIC)
    s.expect_pass("KTEST PASS ticks")
    ticks_take_host_time(s)


@case(boot=False, timeout=40)
def irq_pic_keyboard(s):
    """noioapic: the 8259s deliver the keyboard's IRQ 1."""
    s.boot("noioapic ktest=kbd_echo")
    through(s, PICS)
    keyboard_line(s)


@case(boot=False, timeout=30)
def irq_pic_serial(s):
    """noioapic: the 8259s deliver the serial line's IRQ 4."""
    s.boot("noioapic ktest=kbd_echo")
    through(s, PICS)
    serial_input(s)


@case(boot=False, timeout=20)
def irq_pic_ticks(s):
    """noioapic: the timer's IRQ 0 through the 8259s, at 100 Hz."""
    s.boot("noioapic ktest=ticks")
    through(s, PICS)
    s.expect_pass("KTEST PASS ticks")
    ticks_take_host_time(s)


@case(boot=False, timeout=90)
def irq_pic_console_typed(s):
    """noioapic: readers and printers share typed lines (the
    stress_console_typed case, on the 8259s)."""
    s.boot(f"noioapic -- leakcheck -p stress_console lines={TYPED_LINES}")
    through(s, PICS)
    s.wait_for(rf"stress_console: ready for {TYPED_LINES} lines")
    type_lines(s, TYPED_LINES)
    s.expect_test_pass("stress_console")
    prints_whole(s, s.serial)


@case(boot=False, timeout=240)
def irq_pic_keys_while_printing(s):
    """noioapic: 2,000 keys typed while a thread prints without pause all
    arrive (the keys_while_printing case, on the 8259s)."""
    s.boot(f"noioapic -- leakcheck -p keys_flood lines={FLOOD_LINES}", icount="shift=auto",
           smp=keys_cpus(s))
    through(s, PICS)
    type_flood(s)


@case(boot=False, timeout=90)
def irq_ioapic_four_cpus(s):
    """-smp 4: the ISA IRQs still go to the boot CPU (apic id 0), and the
    shell answers typed commands."""
    s.boot("ktest=kbd_echo", smp=4)
    through(s, IOAPIC)
    keyboard_line(s)
