"""Scripted tests, and checks attached to discovered tests.

Each @case function gets a session (tests/runner/session.py) and fails
with s.fail("reason"); docs/testing.md shows how to add one.
"""
import re
import shutil

from tests.runner import Skip, case, check, expect_panic, selftest

# What the reports of the panic_* KTESTs (kernel/test/ktest_boot.c) name.
expect_panic("panic_divide", "Divide error")
expect_panic("panic_opcode", "Invalid opcode")
expect_panic("panic_gpf", "General protection fault")
expect_panic("panic_page", "Page fault", cr2="dead0000")
expect_panic("panic_stack_overflow", "Double fault")

BANNER = r"Fable \d+\.\d+"


@case()
def boot_banner(s):
    """The banner is on the VGA screen, and on serial through the mirror."""
    s.wait_for(r"fable: ready")
    if not re.search(BANNER, s.serial):
        s.fail("no banner on serial")
    screen = s.screen()
    if not any(re.search(BANNER, line) for line in screen):
        s.fail(f"no banner on the screen; its top line is {screen[0]!r}")


@check("ticks")
def ticks_take_host_time(s):
    """300 ticks of the 100 Hz PIT take about 3 s of host time. The band
    is wide: a sanity check of the PIT set-up, not a timing test."""
    ticks = s.lines_matching(r"^TICK (\d+)$")
    if len(ticks) != 2:
        s.fail(f"expected 2 TICK lines, got {len(ticks)}")
    (t0, first), (t1, last) = ticks
    n, secs = int(last[1]) - int(first[1]), t1 - t0
    if n < 300 or not 1.5 <= secs <= 12:
        s.fail(f"{n} ticks took {secs:.2f}s of host time (want >= 300 in 1.5-12s)")


# The drivers' kbd_echo KTEST: prints "kbd: reading" once it reads, then
# echoes each line it reads as "LINE: <text>", and passes after "quit".
KBD_ECHO = "ktest=kbd_echo"


def screen_has_line(s, text, typo):
    """Fail unless the screen shows text at the end of a line and nowhere
    shows typo (which backspace should have erased)."""
    screen = s.screen()
    if not any(line.endswith(text) for line in screen):
        s.fail(f"no line ending in {text!r} on the screen")
    if any(typo in line for line in screen):
        s.fail(f"the erased {typo!r} is still on the screen")


@case(cmdline=KBD_ECHO, timeout=40)
def keyboard_line(s):
    """PS/2 typing through the line discipline: shift, backspace, caps lock."""
    s.wait_for(r"kbd: reading")
    s.type_keys("Hello Wxq\b\borld\n")
    s.wait_line("LINE: Hello World", timeout=10)
    screen_has_line(s, "Hello World", "Wxq")
    s.press("caps_lock")
    s.type_keys("caps")
    s.press("caps_lock")
    s.type_keys(" off\n")
    s.wait_line("LINE: CAPS off", timeout=10)
    s.type_keys("quit\n")
    s.expect_pass("KTEST PASS kbd_echo")


@case(cmdline=KBD_ECHO, timeout=30)
def serial_input(s):
    """A line typed on the serial port (DEL erases, CR ends it)."""
    s.wait_for(r"kbd: reading")
    s.type_serial(b"Hello Wxq\x7f\x7forld\r")
    s.wait_line("LINE: Hello World", timeout=10)
    s.type_serial(b"quit\r")
    s.expect_pass("KTEST PASS kbd_echo")


def last_error(output):
    """The line of make's output worth quoting in a failure."""
    lines = [ln for ln in output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower() or "warning:" in ln]
    return (errors or lines or ["no output"])[0].strip()


@case(boot=False, timeout=90)
def iso_boot(s):
    """The GRUB rescue ISO boots to the banner (GRUB shares the serial line),
    and programs run: GRUB loaded the RAM disk's bytes at 16 MiB too."""
    code, out = s.make(f"B={s.cfg.make_b}", "iso")
    if code:
        s.fail(f"make iso failed: {last_error(out)}")
    s.boot(cdrom=s.cfg.build / "fable.iso")
    s.wait_for(BANNER, timeout=30)
    s.wait_for(r"fable: ready")
    s.wait_for(re.escape("[410-shell]$ "), timeout=30)
    s.type_keys("leakcheck cat readme.txt\n")
    s.wait_for(r"Welcome to Fable", timeout=30)
    s.wait_for(r"LEAKCHECK PASS cat", timeout=30)


@case(boot=False, timeout=300)
def clang_build(s):
    """clang 14 builds the tree with -Werror and prints no warning."""
    if not shutil.which("clang"):
        raise Skip("clang is not installed (scripts/deps.sh installs it)")
    code, out = s.make(f"B={s.cfg.make_b}/clang", "CC=clang")
    if code or "warning:" in out:
        s.fail(f"make CC=clang: {last_error(out)}")


def mtime(s, path):
    """Modification time of a file of the tree in ns, or None."""
    try:
        return (s.cfg.root / path).stat().st_mtime_ns
    except FileNotFoundError:
        return None


@case(boot=False, timeout=120)
def make_noop(s):
    """A second make changes nothing: the dependencies are exact. Targets
    that depend on a forced check (and then leave their file alone, like
    user/user.mk's RAM-disk list) are allowed to run."""
    b = f"B={s.cfg.make_b}"
    if s.make("-q", b)[0] == 0:
        return
    _, plan = s.make("-n", "--trace", b)
    targets = re.findall(r"update target '([^']+)'", plan)
    before = {t: mtime(s, t) for t in targets}
    code, out = s.make(b)
    if code:
        s.fail(f"make failed: {last_error(out)}")
    changed = [t for t in targets if mtime(s, t) != before[t]]
    if changed:
        s.fail(f"a second make rebuilt {changed[0]} ({len(changed)} files)")


@case(boot=False, timeout=10)
def runner_pieces(s):
    """The runner's own pure parts: key chords, VGA decoding, parsing."""
    failed = selftest.run()
    if failed:
        s.fail(f"failed: {', '.join(failed)}")

