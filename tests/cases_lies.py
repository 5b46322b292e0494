"""Scripted tests of the demo programs (user/bin/*lies.c, deadlock.c,
livelock.c; docs/lie-*.md): each demo runs under leakcheck, must end
with status 0 leaving nothing behind, and its output must show the
evidence it claims. One more test runs every demo
from the shell, as `make run` would.

tests/cases.py imports this file, so that the runner finds these cases.
"""
import json
import re
import time

import tools.bench as bench
from tests.runner import case
from tests.runner.session import EXIT_PASS       # leakcheck -p: status 0, no leak

# user/bin/leakcheck.c, when the demo ends.
END_RE = r"leakcheck: (\w+) exited with status (-?\d+);.*"


def finish(s):
    """Wait for the demo to end with exit status 0, leaving nothing
    behind; returns the serial lines for the checks."""
    m = s.wait_line(END_RE)
    if m[2] != "0":
        s.fail(f"the demo ended with status {m[2]}, expected 0")
    s.expect_exit(EXIT_PASS)
    s.expect_no_leak(m[1])
    return s.serial.split("\n")


def matches(s, lines, pattern, count=None):
    """Every match of pattern (a whole line) in lines; fails if there are
    none, or not exactly `count`."""
    found = [m for ln in lines if (m := re.fullmatch(pattern, ln.rstrip()))]
    if not found or (count is not None and len(found) != count):
        s.fail(f"expected {count or 'some'} lines /{pattern}/, found {len(found)}")
    return found


def one(s, lines, pattern):
    return matches(s, lines, pattern, 1)[0]


@case(cmdline="-- leakcheck -p memlies 1024 3", timeout=90)
def demo_memlies(s):
    """Column-major order is slower than row-major over the same bytes,
    and the demo says which machine (hence which cause) it measured."""
    lines = finish(s)
    matches(s, lines, r"round \d: row-major \d+ cycles \(\d+ ticks\), "
            r"column-major \d+ cycles \(\d+ ticks\), ratio \d+\.\d\dx", 3)
    m = one(s, lines, r"column-major / row-major: (\d+)\.(\d\d)x")
    ratio = int(m[1]) + int(m[2]) / 100
    if ratio < 1.5:
        s.fail(f"column-major is only {ratio:.2f}x slower than row-major")
    cpu = one(s, lines, r'cpu: "(.*)", hypervisor: "(.*)"')
    platform = one(s, lines, r"platform: (.*)\.")[1]
    tcg = cpu[2] == "TCGTCGTCGTCG" or (not cpu[2] and "QEMU" in cpu[1])
    if tcg != platform.startswith("QEMU software emulation"):
        s.fail(f"cpu {cpu[0]!r} but platform {platform!r}")


@case(cmdline="-- leakcheck -p vmlies", timeout=60)
def demo_vmlies(s):
    """One virtual address, two values; fork reserves by size (pages and
    page tables) and copies
    on the first write; new_pages fills pages when touched; reading kernel
    memory kills the reader with status -2."""
    lines = finish(s)
    child = one(s, lines, r"child:  &secret = (0x[0-9a-f]+) holds (\d+)")
    parent = one(s, lines, r"parent: &secret = (0x[0-9a-f]+) holds (\d+)")
    if child[1] != parent[1] or child[2] == parent[2]:
        s.fail(f"child {child[0]!r} and parent {parent[0]!r}: "
               "want one address, two values")
    cost = one(s, lines, r"cow: fork reserved (\d+) frames; with (\d+) more pages "
               r"mapped, (\d+)$")
    small, pages, big = (int(x) for x in cost.groups())
    diff = one(s, lines, r"cow: difference (\d+): the pages and (\d+) page table$")
    if int(diff[2]) != 1 or big - small != pages + 1 or int(diff[1]) != pages + 1:
        s.fail(f"fork's reservation does not grow by the pages and table mapped: "
               f"{cost[0]!r}, {diff[0]!r}")
    cow = one(s, lines, r"cow: child read (\d+) shared pages: (\d+) page faults; "
              r"wrote them: (\d+) page faults")
    pages, reads, writes = int(cow[1]), int(cow[2]), int(cow[3])
    if reads > 2 or not pages <= writes <= pages + 2:
        s.fail(f"want ~0 faults reading and one per page writing: {cow[0]!r}")
    one(s, lines, r"cow: parent still sees 'p' \(child exit status 0\)")
    lazy = one(s, lines, r"lazy: new_pages\((\d+) MiB\) promised (\d+) frames at once "
               r"\((\d+) \+ (\d+) page tables\)")
    mib, promised, pages, tables = (int(x) for x in lazy.groups())
    if pages != mib * 256 or tables != (mib + 3) // 4 or promised != pages + tables:
        s.fail(f"new_pages did not promise every frame at once: {lazy[0]!r}")
    touch = one(s, lines, r"lazy: wrote (\d+) pages: (\d+) page faults; "
                r"read \d+ others: (\d+) page faults, (\d+) zero")
    n, wf, rf, zeros = (int(x) for x in touch.groups())
    if not (n <= wf <= n + 2 and n <= rf <= n + 2 and zeros == n):
        s.fail(f"want one fault per touched page, zeros read back: {touch[0]!r}")
    one(s, lines, r"kernel: child reading 0x500000 ended with exit status -2")


@case(cmdline="-- leakcheck -p racelies 5", timeout=90)
def demo_racelies(s):
    """Without a lock the count comes out short in at least one of five
    runs (misbehave 2); with the mutex it is exact every time."""
    lines = finish(s)
    runs = matches(s, lines, r"run \d: no lock (\d+) of (\d+) \((\d+) lost, \d+ ticks\), "
                   r"mutex (\d+) of (\d+) \(\d+ ticks\)", 5)
    if any(int(r[4]) != int(r[5]) for r in runs):
        s.fail("the mutex run lost updates")
    if all(int(r[1]) == int(r[2]) for r in runs):
        s.fail("no run without a lock lost an update")
    if any(int(r[2]) - int(r[1]) != int(r[3]) for r in runs):
        s.fail("a run's 'lost' does not match its count")


PARALLEL_RUN = (r"parallel run \d: no lock (\d+) of (\d+) \((\d+) lost, \d+ ticks\), "
                r"mutex (\d+) of (\d+) \(\d+ ticks\)")


def parallel_runs(s):
    """The three runs of racelies parallel 4 50000: the mutex's count is
    exact, and each run's "lost" matches its count."""
    lines = finish(s)
    runs = matches(s, lines, PARALLEL_RUN, 3)
    if any(int(r[2]) != 200000 or int(r[4]) != int(r[5]) for r in runs):
        s.fail("the mutex run lost updates")
    if any(int(r[2]) - int(r[1]) != int(r[3]) for r in runs):
        s.fail("a run's 'lost' does not match its count")
    return runs


@case(boot=False, timeout=90)
def demo_racelies_parallel(s):
    """racelies parallel: four threads, bare counter++ with no yields and
    no misbehave mode. On one CPU nothing preempts a thread inside an
    increment, so nothing is lost, with or without the mutex (losses
    without one come from threads that truly run at once: docs/lie-threads.md)."""
    s.boot("-- leakcheck -p racelies parallel 4 50000", smp=1)
    runs = parallel_runs(s)
    if any(int(r[3]) != 0 for r in runs):
        s.fail("one CPU lost updates with no preemption inside an update")


@case(boot=False, timeout=90)
def demo_racelies_parallel_smp(s):
    """The same at -smp 2: the mutex keeps the count exact whoever runs
    where (once threads run on both CPUs, the runs without it lose
    updates; the count of lost ones is in the log)."""
    s.boot("-- leakcheck -p racelies parallel 4 50000", smp=2)
    parallel_runs(s)


@case(cmdline="-- leakcheck -p deadlock 100", timeout=40)
def demo_deadlock(s):
    """Both threads stop for good holding one mutex each; the watcher
    sees it after the timeout, and both are asleep."""
    lines = finish(s)
    one(s, lines, r"deadlock: no progress in 100 ticks: A at step 1, B at step 1")
    held = one(s, lines, r"deadlock: left is held by tid (\d+), right by tid (\d+)")
    tids = one(s, lines, r"deadlock: A \(tid (\d+)\) waits for right, "
               r"B \(tid (\d+)\) waits for left")
    if held.groups() != tids.groups():
        s.fail(f"owners {held.groups()} are not A and B {tids.groups()}")
    y = one(s, lines, r"deadlock: yield to A gives (-?\d+), to B (-?\d+) .*")
    if int(y[1]) >= 0 or int(y[2]) >= 0:
        s.fail(f"a deadlocked thread was runnable: {y[0]!r}")
    cs = one(s, lines, r"deadlock: (\d+) context switches in (\d+) ticks: .*")
    if int(cs[1]) >= int(cs[2]):
        s.fail(f"the machine is not idle: {cs[0]!r}")


@case(cmdline="cpus=1 -- leakcheck -p livelock 20000", timeout=40)
def demo_livelock(s):
    """The polite walkers never get through although they switch all the
    time (on one CPU: above demo_schedlies); with a coin toss both get
    through."""
    lines = finish(s)
    polite = one(s, lines, r"livelock: polite: (\d) of 2 got through \(rounds: (-?\d+), "
                 r"(-?\d+)\), (\d+) context switches in \d+ ticks")
    if int(polite[1]) != 0 or int(polite[4]) < 20000:
        s.fail(f"want nobody through and >= 20000 switches: {polite[0]!r}")
    one(s, lines, r"livelock: coin toss: 2 of 2 got through .*")


def check_slices(s, lines, lo, hi):
    """The letters interleave, and the measured slices average lo..hi ticks."""
    letters = "".join(ln for ln in lines if re.fullmatch(r"[A-C]+", ln))
    runs = len(re.findall(r"A+|B+|C+", letters))
    if runs < 6:
        s.fail(f"only {runs} runs of letters: the threads did not take turns")
    m = one(s, lines, r"schedlies: (\d+) slices: A (\d+) B (\d+) C (\d+); "
            r"average slice (\d+)\.(\d\d) ticks")
    if min(int(m[i]) for i in (2, 3, 4)) < 2:
        s.fail(f"a thread ran in fewer than 2 slices: {m[0]!r}")
    avg = int(m[5]) + int(m[6]) / 100
    if not lo <= avg <= hi:
        s.fail(f"average slice {avg:.2f} ticks, expected {lo}-{hi}")


# The time-slice and livelock demos show what one CPU does when threads
# take turns on it (docs/lie-threads.md); on several the threads run at
# once and there are no turns to see (docs/smp.md). So they keep to one
# CPU (cpus=1) whatever the run's CPU count.
@case(cmdline="cpus=1 -- leakcheck -p schedlies 3 60", timeout=40)
def demo_schedlies(s):
    """Three spinning threads take turns in slices of about SLICE_TICKS
    (3) ticks."""
    check_slices(s, finish(s), 1.5, 4.5)


@case(cmdline="cpus=1 -- leakcheck -p schedlies 3 30 2", timeout=40)
def demo_schedlies_misbehave(s):
    """misbehave(2) makes every slice one tick long."""
    check_slices(s, finish(s), 0.5, 1.8)


@case(cmdline="-- leakcheck -p ringlies", timeout=40)
def demo_ringlies(s):
    """Every privileged instruction, port, kernel address and hostile
    system call is refused, each in the way the chapter says, and the
    kernel's counters are back where they were."""
    lines = finish(s)
    allowed = [ln for ln in lines if ln.startswith("ringlies:") and "ALLOWED" in ln]
    if allowed:
        s.fail(f"not refused: {allowed[0]!r}")
    gp = matches(s, lines, r"ringlies: .* refused: general-protection fault \(cause 0xd, .*")
    pf = matches(s, lines, r"ringlies: .* refused: page fault \(cause 0xe, error 0x\d, "
                 r"cr2 (0x[0-9a-f]+|0)\)")
    calls = matches(s, lines, r"ringlies: .* refused \(-\d+\)")
    if len(gp) < 15 or len(pf) < 5 or len(calls) < 10:
        s.fail(f"too few refusals: {len(gp)} GP, {len(pf)} page faults, {len(calls)} calls")
    one(s, lines, r"ringlies: popf with IF clear +refused: silently ignored, IF is still set")
    total = one(s, lines, r"ringlies: (\d+) of (\d+) attempts refused")
    if total[1] != total[2]:
        s.fail(total[0])
    ok = one(s, lines, r"ringlies: the kernel is unharmed: 2 tasks, 2 threads, "
             r"(\d+) free frames \((\d+) before\)")     # leakcheck and ringlies
    if ok[1] != ok[2]:
        s.fail(f"frames leaked: {ok[0]!r}")


# fiberlies (user/bin/fiberlies.c, docs/lie-fibers.md).
FIBER_COSTS = {"fiber_yield_2": r"fiber round trip, N:1 \(2 fibers, 1 kernel thread\):",
               "thr_yield_2": r"kernel-thread round trip \(thr_yield, 2 threads\):",
               "fiber_yield_mn": r"fiber round trip, M:N \(3 fibers, 2 kernel threads\):"}


def check_blocking(s, lines, least):
    """The N:1 run stalled A and B for the whole blocking call, and the
    observer's strip shows it; under M:N both went on, in every column
    of the strip in which S was blocked. S was blocked least ticks or
    more."""
    runs = {}
    for i, ln in enumerate(lines):
        m = re.fullmatch(r"   (N:1|M:N): while S was blocked for (\d+) ticks: A (\d+) turns, "
                         r"B (\d+) turns - (.*)", ln.rstrip())
        if m:
            strip = [re.fullmatch(r"   S    ([-z]+)", lines[i + 1].rstrip()),
                     re.fullmatch(r"   A,B  ([.+]+)   \(one column = \d+ ticks?\)",
                                  lines[i + 2].rstrip())]
            if not all(strip):
                s.fail(f"no strip under {ln!r}")
            runs[m[1]] = (m, strip[0][1], strip[1][1])
    if set(runs) != {"N:1", "M:N"}:
        s.fail(f"expected an N:1 and an M:N run, found {sorted(runs)}")
    for mode, (m, sleep, ran) in runs.items():
        if int(m[2]) < least:
            s.fail(f"{mode}: S was blocked only {m[2]} ticks")
        # Columns wholly inside the blocked call (not its first or last).
        inside = [ran[c] for c in range(1, len(sleep) - 1)
                  if sleep[c - 1] == sleep[c] == sleep[c + 1] == "z"]
        if not inside:
            s.fail(f"{mode}: the strip shows no blocked call: {sleep!r}")
        if mode == "N:1" and (m[3], m[4], m[5]) != ("0", "0", "every fiber stopped"):
            s.fail(f"N:1: A and B ran while S was blocked: {m[0]!r}")
        if mode == "N:1" and "+" in inside:
            s.fail(f"N:1: the strip shows A or B running while S slept: {ran!r}")
        if mode == "M:N" and (int(m[3]) == 0 or int(m[4]) == 0):
            s.fail(f"M:N: A or B stopped while S was blocked: {m[0]!r}")
        if mode == "M:N" and "." in inside:
            s.fail(f"M:N: a tick in which A and B did not run: {ran!r}")
    moved = one(s, lines, r"   M:N: fibers went on on another kernel thread (\d+) times")
    if int(moved[1]) == 0:
        s.fail("no fiber ever moved to another kernel thread")


@case(boot=False, timeout=90)
def demo_fiberlies(s):
    """Under -icount, as make bench: fiberlies' round trips are the
    bench rows (within 5% of bench/baseline.json), a fiber switch costs
    less than half a kernel-thread switch, and a sleeping fiber stops
    every fiber on its kernel thread (N:1) but not under M:N."""
    s.boot_test("fiberlies 20", icount=True)
    lines = finish(s)
    base = json.loads(bench.BASELINE.read_text())["ops"]
    cost = {}
    for key, label in FIBER_COSTS.items():
        m = one(s, lines, r"   " + label + r" +(\d+\.\d)")
        cost[key] = float(m[1])
        if abs(cost[key] - base[key]) > 0.05 * base[key]:
            s.fail(f"{key}: fiberlies counts {cost[key]}, make bench's baseline {base[key]}")
    if not 2 * cost["fiber_yield_2"] < cost["thr_yield_2"]:
        s.fail(f"a fiber switch is not cheaper than half a kernel-thread switch: {cost}")
    check_blocking(s, lines, 20)


@case(boot=False, timeout=90)
def demo_fiberlies_readline(s):
    """fiberlies -r: a fiber blocked in readline stops every fiber on its
    kernel thread (N:1), not under M:N; a line typed for each. Under
    -icount: on several CPUs, plain TCG gives each CPU a host thread, and
    a busy host that holds back the one running A and B while the boot
    CPU counts ticks would show a tick in which neither ran (a CI run at
    2 CPUs did)."""
    s.boot_test("fiberlies -r", icount=True)
    for _ in range(2):
        s.wait_for(r"type a line: ")
        time.sleep(0.5)                 # let the stall last a while
        s.type_keys("hello\n")
    lines = finish(s)
    check_blocking(s, lines, 1)


# Each demo with small arguments, typed at the shell, and the status the
# shell must report for it.
SHELL_RUNS = [
    ("memlies 128 1", 0), ("vmlies", 0), ("racelies 1", 0), ("deadlock 20", 0),
    ("livelock 1000", 0), ("schedlies 2 6", 0), ("ringlies", 0), ("fiberlies 5", 0),
]


@case(timeout=90)
def demo_from_shell(s):
    """Every demo is on the RAM disk and runs from the shell, as under
    `make run`."""
    for command, status in SHELL_RUNS:
        s.wait_for(r"\[410-shell\]\$ $")
        s.type_serial(command + "\r")
        m = s.wait_line(r"shell: process \d+ finished with exit status (-?\d+)")
        if int(m[1]) != status:
            s.fail(f"{command!r} finished with status {m[1]}, expected {status}")
