"""Scripted tests and checks of hostile input: the fuzzer and the stress
programs (user/tests/fuzz.c, user/tests/stress_*.c), the kernel's
invariant checks (kernel/debug/debug.c), the programs that matter most at
other memory sizes, a debug kernel, and the shell after all of them.
"""
import dataclasses
import fcntl
import re
from pathlib import Path

from tests.runner import Fail, case, check
from tests.runner.session import EXIT_PANIC, describe_exit

ROOT = Path(__file__).resolve().parents[1]
PROMPT = "[410-shell]$ "
STATUS = r"shell: process \d+ finished with exit status (-?\d+)"


STRESS = sorted(p.stem for p in (ROOT / "user" / "tests").glob("stress_*.c"))


# ---- the invariant checks name what they found ------------------------

INVARIANTS = {
    "panic_invariant_runq_state": "run queue: only runnable threads",
    "panic_invariant_runq_cycle": "run queue: no cycle",
    "panic_invariant_lock": "lock ownership: the caller holds the spinlock",
    "panic_invariant_mutex": "lock ownership: the caller holds the mutex",
    "panic_invariant_user_line": "user line: no user page below USER_MEM_START",
}


def names_invariant(text):
    def check_name(s):
        if f"PANIC: invariant violated: {text}" not in s.serial:
            s.fail(f"the panic report does not name the invariant {text!r}")
    return check_name


for _test, _text in INVARIANTS.items():
    check(_test)(names_invariant(_text))


# ---- the console under many threads, with typing ---------------------

TYPED_LINES = 12


def type_lines(s, n):
    """What user/tests/stress_console.c expects: n lines, then empty lines
    until it has read them all. Typed on the serial line, which QEMU
    holds back while the UART's receive FIFO is full: PS/2 keys are lost
    when a loaded host leaves the guest's CPU idle for a few keys' time."""
    for i in range(n):
        s.type_serial(f"line{i:02d} abcdefghij\r")
    for _ in range(20):
        try:
            s.wait_for(r"stress_console: all read", timeout=2)
            return
        except Fail:
            s.type_serial("\r")
    s.fail("stress_console never read all that was typed")


def prints_whole(s, text):
    """Every line a printer thread of stress_console printed is whole."""
    heads = re.findall(r"P\d \d+ ", text)
    whole = re.findall(r"P\d \d+ x{40}\n", text)
    if len(heads) < 120 or len(whole) != len(heads):
        s.fail(f"{len(heads)} printed lines began, {len(whole)} of them whole (want 120+)")


@case(boot=False, timeout=90)
def stress_console_typed(s):
    """Readline and getchar threads share what is typed while printers
    print (user/tests/stress_console.c)."""
    s.boot_test(f"stress_console lines={TYPED_LINES}")
    s.wait_for(rf"stress_console: ready for {TYPED_LINES} lines")
    type_lines(s, TYPED_LINES)
    s.expect_test_pass("stress_console")
    prints_whole(s, s.serial)


# ---- other memory sizes ----------------------------------------------

# (program and arguments, time limit): what most depends on memory size.
# The fuzzer runs wider here than in make test's own fuzz test.
KEY_PROGRAMS = [
    ("fuzz calls=60000 tasks=4 workers=8 seed=2", 120),
    ("stress_memory", 120), ("stress_threads", 60), ("pages_exhaust", 60), ("fork_bomb", 120),
]
AS_INIT = {"fork_bomb"}         # runs as init (runner: init=1), not under leakcheck


def boot_program(s, mem, line):
    name = line.split()[0]
    if name in AS_INIT:
        s.boot(f"-- {line}", mem=mem)
        s.expect_pass(f"TEST PASS {name}")
    else:
        s.boot_test(line, mem=mem)
        s.expect_test_pass(name)


def memory_case(mem, line, timeout):
    name = f"mem{mem}_{line.split()[0]}"
    case(name, boot=False, timeout=timeout)(lambda s: boot_program(s, mem, line))


for _mem in (64, 1024):
    for _line, _timeout in KEY_PROGRAMS:
        memory_case(_mem, _line, _timeout)


# ---- a kernel built with its invariant checks on ---------------------

def debug_kernel(s):
    """Build the `make DEBUG=1` kernel under build/debug (one case at a
    time: several cases use it) and make it this session's kernel."""
    with open(s.cfg.build / "debug.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        code, out = s.make(f"B={s.cfg.make_b}/debug", "DEBUG=1")
    if code:
        lines = [ln for ln in out.splitlines() if "error" in ln.lower()] or ["?"]
        s.fail(f"make DEBUG=1 failed: {lines[0]}")
    s.cfg = dataclasses.replace(s.cfg, build=s.cfg.build / "debug")   # this session's only


def debug_kernel_run(s, line):
    """Run the test program line on the debug kernel: it passes, and no
    invariant check fails."""
    debug_kernel(s)
    s.boot_test(line)
    s.expect_test_pass(line.split()[0])
    if "invariant violated" in s.serial:
        s.fail("an invariant check failed")


@case(boot=False, timeout=300)
def debug_kernel_fuzz(s):
    """`make DEBUG=1` builds a kernel that checks its invariants on every
    switch, return to user mode and address-space change, and yields at
    random after mutex releases; the fuzzer runs on it without tripping
    one."""
    debug_kernel_run(s, "fuzz calls=80000")


@case(boot=False, timeout=300)
def debug_kernel_races(s):
    """Programs whose races the debug kernel's random yields after mutex
    releases widen: a task whose threads all vanish at once
    (user/tests/vanish_race.c)."""
    debug_kernel_run(s, "vanish_race")


@case(boot=False, timeout=120)
def debug_kernel_assert_held(s):
    """Every "caller holds X" is checked in the debug kernel (ASSERT_HELD,
    kernel/debug/debug.h): the KTEST assert_held_debug_only, which calls
    sched_wake_one without sched_lock and passes on a normal kernel,
    panics there naming the invariant."""
    debug_kernel(s)
    s.boot("ktest=assert_held_debug_only")
    code = s.wait_exit()
    if code != EXIT_PANIC:
        s.fail(f"{describe_exit(code)}, expected a panic; last line: {s.last_line()!r}")
    names_invariant("lock ownership: the caller holds the spinlock")(s)


def lock_order_case(name, ktest, first, second, take_ab, take_ba):
    """The debug kernel's lock-order checker (kernel/debug/lockorder.c):
    ktest, which takes locks first and second in both orders and passes
    on a normal kernel, panics on the debug one at its second order,
    naming both locks and the sites of both orders (the functions that
    took each)."""
    def run(s):
        debug_kernel(s)
        s.boot(f"ktest={ktest}")
        code = s.wait_exit()
        if code != EXIT_PANIC:
            s.fail(f"{describe_exit(code)}, expected a panic; last line: {s.last_line()!r}")
        want = (rf'PANIC: lock order: "{second}" at {take_ba}\+0x[0-9a-f]+ while holding '
                rf'"{first}" from {take_ba}\+0x[0-9a-f]+; but "{first}" was taken at '
                rf'{take_ab}\+0x[0-9a-f]+ while holding "{second}" from {take_ab}\+0x[0-9a-f]+\n')
        if not re.search(want, s.serial):
            s.fail("the report does not name both locks and both orders' sites: " +
                   repr(next((ln for ln in s.serial.split("\n") if "PANIC" in ln), "no PANIC line")))
    run.__doc__ = lock_order_case.__doc__
    case(name, boot=False, timeout=120)(run)


# Mutexes taken A then B, then B then A: the second order's "A" closes
# the cycle.
lock_order_case("debug_kernel_lock_order", "lock_order_debug_only",
                "ktest order B", "ktest order A", "take_a_then_b", "take_b_then_a")
lock_order_case("debug_kernel_lock_order_spin", "lock_order_spin_debug_only",
                "ktest spin B", "ktest spin A", "spin_a_then_b", "spin_b_then_a")


# ---- the shell after every stress program ----------------------------

SHELL_RUNS = STRESS + ["fuzz calls=40000"]


def command(s, line, timeout=30):
    """Type line at the prompt; the serial output up to the next prompt."""
    begin = s.cursor
    s.type_keys(line + "\n")
    if line.startswith("stress_console"):
        s.wait_for(r"stress_console: ready for", timeout=timeout)
        type_lines(s, 12)
    m = s.wait_for(re.escape(PROMPT), timeout=timeout)
    return s.serial[begin:m.start()]


def free_numbers(s, out):
    """What free says is in use: frames used, heap bytes, tasks, threads."""
    frames = re.search(r"^frames\s+\d+\s+(\d+)\s+\d+\s*$", out, re.M)
    heap = re.search(r"kernel heap: (\d+) bytes", out)
    counts = re.search(r"tasks: (\d+), threads: (\d+)", out)
    if not (frames and heap and counts):
        s.fail(f"free printed no counters: {out[-300:]!r}")
    return frames[1], heap[1], counts[1], counts[2]


@case(timeout=300)
def stress_then_shell(s):
    """Each stress program and the fuzzer, started from the shell, passes
    and exits 0; after each, free (kstat) shows the same frames, heap
    bytes, tasks and threads as before it, and the screen shows it."""
    s.wait_for(r"Starting shell")
    s.wait_for(re.escape(PROMPT))
    base = free_numbers(s, command(s, "free"))
    for line in SHELL_RUNS:
        out = command(s, line, timeout=120)
        name = line.split()[0]
        if f"TEST PASS {name}" not in out:
            s.fail(f"{line!r} did not pass; last output {out[-200:]!r}")
        m = re.search(STATUS, out)
        if not m or m[1] != "0":
            s.fail(f"{line!r}: the shell did not report exit status 0")
        now = free_numbers(s, command(s, "free"))
        if now != base:
            s.fail(f"after {name}: free says {now}, before {base} (used frames, heap, "
                   f"tasks, threads)")
        if not s.vga().contains(f"kernel heap: {base[1]} bytes"):
            s.fail(f"after {name}: free's output is not on the screen")
