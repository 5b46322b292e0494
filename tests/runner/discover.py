"""Finding the tests: KTESTs in kernel sources, user test programs, native
unit tests, and the scripted cases of tests/cases*.py."""
import importlib
import re
import subprocess
from functools import partial

from tests.runner import registry
from tests.runner.registry import Fail, Test
from tests.runner.session import EXIT_PANIC, describe_exit

KTEST_RE = re.compile(r"^KTEST\((\w+)\)", re.M)
USER_OPTS_RE = re.compile(r"/\*\s*runner:(.*?)\*/", re.S)
FRAME_RE = r"#(\d+) +[0-9a-f]{8} +[\w.$]+\+0x[0-9a-f]+"     # name.constprop.0+0x9
KTEST_TIMEOUT = 20.0
USER_TIMEOUT = 30.0
UNIT_TIMEOUT = 60.0


def run_ktest(name, s):
    """Boot ktest=name; it must pass."""
    s.boot(f"ktest={name}")
    s.expect_pass(f"KTEST PASS {name}")


def check_report(s, text, where, expect):
    """The parts every panic report must show, in text (serial or screen)."""
    needs = ["PANIC:"]
    if expect:
        needs += [expect.exception, "eax=", "eip="]
        if expect.exception == "Page fault":
            needs.append(f"cr2={expect.cr2 or ''}")
    missing = [n for n in needs if n not in text]
    if missing:
        s.fail(f"panic report on {where} lacks {missing}")
    frames = [int(n) for n in re.findall(FRAME_RE, text)]
    if frames[:2] != [0, 1]:
        s.fail(f"panic report on {where} has no symbolised frames #0 and #1")


def run_panic(name, s):
    """Boot ktest=name; it must panic with a full report, on serial and
    on the screen as it was at machine_poweroff."""
    s.boot(f"ktest={name}")
    code = s.wait_exit()
    if code != EXIT_PANIC:
        s.fail(f"{describe_exit(code)}, expected a panic; last line: {s.last_line()!r}")
    expect = registry.PANICS.get(name)
    check_report(s, s.serial, "serial", expect)
    check_report(s, "\n".join(s.final_screen().lines), "screen", expect)


def ktests(cfg):
    """Every KTEST(name) in kernel/**/*.c that no case drives; panic_*
    ones must panic. Call after tests.cases is imported."""
    tests = []
    for path in sorted((cfg.root / "kernel").rglob("*.c")):
        for name in KTEST_RE.findall(path.read_text(errors="replace")):
            if name in registry.DRIVEN:
                continue
            run = run_panic if name.startswith("panic_") else run_ktest
            tests.append(Test(name, "panic" if run is run_panic else "ktest",
                              partial(run, name), KTEST_TIMEOUT))
    return tests


def user_options(source):
    """Options from a /* runner: timeout=60 args=a b */ comment; init=1
    runs the test as init itself, not under leakcheck; icount=1 boots it
    under QEMU's -icount, where guest ticks count guest instructions;
    cpus=N keeps at most N CPUs running threads (the kernel's cpus=N,
    docs/smp.md), for a test about one CPU's scheduling whatever the
    run's CPU count."""
    m = USER_OPTS_RE.search(source)
    opts = {"timeout": USER_TIMEOUT, "args": ""}
    if m:
        for key, val in re.findall(r"(\w+)=((?:(?!\s\w+=).)*)", m[1].strip()):
            opts[key] = float(val) if key == "timeout" else val.strip()
    return opts


def run_user(name, args, icount, kargs, s):
    """Boot user program name (and args) under leakcheck, with kernel
    options kargs: it must pass and leave nothing behind."""
    s.boot_test(f"{name} {args}".strip(), icount=icount, kargs=kargs)
    s.expect_test_pass(name)


def run_init(name, args, icount, kargs, s):
    """Boot user program name as init, with kernel options kargs; it
    checks its own leaks."""
    s.boot(f"{kargs} -- {name} {args}".strip(), icount=icount)
    s.expect_pass(f"TEST PASS {name}")


def user_tests(cfg):
    """Every user/tests/*.c but the support library testlib.c: a program
    of the same name on the RAM disk (as user/user.mk builds them)."""
    tests = []
    for path in sorted((cfg.root / "user" / "tests").glob("*.c")):
        if path.name == "testlib.c":
            continue
        opts = user_options(path.read_text(errors="replace"))
        if "driven" in opts:        # driven=CASE: that case boots and types
            continue
        run = run_init if "init" in opts else run_user
        tests.append(Test(path.stem, "user",
                          partial(run, path.stem, opts["args"], "icount" in opts,
                                  f"cpus={opts['cpus']}" if "cpus" in opts else ""),
                          opts["timeout"]))
    return tests


def first_complaint(output):
    """The line of a unit test's output that best says what went wrong."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    for ln in lines:
        if re.search(r"ERROR|runtime error|FAIL|Assertion", ln):
            return ln
    return lines[-1] if lines else "no output"


def run_unit(binary, s):
    """Run a native unit test binary; it must exit 0."""
    if not binary.exists():
        s.fail(f"{binary} is not built (make unit builds it)")
    try:
        p = subprocess.run([str(binary)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors="replace", timeout=s.remaining())
    except subprocess.TimeoutExpired:
        s.fail(f"timed out after {s.timeout:.0f}s")
    (s.logdir / "output.log").write_text(p.stdout)
    if p.returncode != 0:
        s.fail(f"exit {p.returncode}: {first_complaint(p.stdout)}")


def unit_tests(cfg):
    """Every tests/unit/test_*.c, built by tests/tests.mk into <build>/unit/."""
    return [Test(f"unit/{p.stem}", "unit", partial(run_unit, cfg.build / "unit" / p.stem),
                 UNIT_TIMEOUT)
            for p in sorted((cfg.root / "tests" / "unit").glob("test_*.c"))]


def all_tests(cfg):
    """Every test, with the checks tests/cases.py and tests/cases_*.py
    attach; fails on duplicate names and on checks attached to no test."""
    for p in sorted((cfg.root / "tests").glob("cases*.py")):
        importlib.import_module(f"tests.{p.stem}")
    # The slow ones (builds, typing) first: -j2 then ends sooner.
    tests = registry.CASES + ktests(cfg) + user_tests(cfg) + unit_tests(cfg)
    names = [t.name for t in tests]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise Fail(f"more than one test is called {', '.join(dups)}")
    for t in tests:
        t.checks = registry.CHECKS.get(t.name, [])
    orphans = sorted(set(registry.CHECKS) - set(names))
    if orphans:
        raise Fail(f"checks attached to no test: {', '.join(orphans)}")
    return tests
