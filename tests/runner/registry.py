"""How tests are declared: the record of one test, and the decorators that
tests/cases.py uses to add scripted tests and checks."""
import re
from dataclasses import dataclass, field
from typing import Callable, Optional


class Fail(Exception):
    """The test failed; the message is the one-line reason."""


class Skip(Exception):
    """The test cannot run here; the message says why."""


@dataclass
class Test:
    """One line of the report. body(session) raises Fail or Skip, or
    returns when the test passed; checks run after a passing body."""
    name: str
    kind: str                   # ktest, panic, user, case or unit
    body: Callable
    timeout: float = 30.0
    checks: list = field(default_factory=list)


@dataclass
class Panic:
    """What the report of a panic_* ktest must show besides the basics."""
    exception: str              # e.g. "Page fault"
    cr2: Optional[str] = None   # e.g. "dead0000"


CASES = []      # scripted tests, in the order tests/cases.py declares them
CHECKS = {}     # test name -> extra checks run after it passes
PANICS = {}     # panic_* ktest name -> Panic
DRIVEN = set()  # KTESTs that cases boot and drive: no line of their own


def case(name=None, *, cmdline="", boot=True, timeout=30.0, drives="", once=False):
    """Declare a scripted test. With boot=True the session is already
    booted with cmdline (plus panic=poweroff) when fn(session) is called;
    with boot=False fn boots it (or does not need QEMU at all). A KTEST
    named by ktest=NAME in cmdline waits for input: the case drives it,
    and it is not also run on its own. drives names (blank-separated)
    KTESTs that a boot=False case boots itself, with what they need (a
    disk image, say): they too get no line of their own. once=True runs
    the case only at the default memory size: under --mem it is skipped
    (a long test that memory size does not change)."""
    DRIVEN.update(re.findall(r"\bktest=(\w+)", cmdline))
    DRIVEN.update(drives.split())

    def register(fn):
        tname = name or fn.__name__
        def body(s):
            if once and s.cfg.mem:
                raise Skip("runs at the default memory size only")
            if boot:
                s.boot(cmdline)
            fn(s)
        CASES.append(Test(tname, "case", body, timeout))
        return fn
    return register


def check(test_name):
    """Attach fn(session) to a discovered test (a KTEST or a user test):
    it runs after the usual verdict, with the serial log still at hand."""
    def register(fn):
        CHECKS.setdefault(test_name, []).append(fn)
        return fn
    return register


def expect_panic(name, exception, cr2=None):
    """Require the panic report of ktest name to name exception (and,
    for page faults, the faulting address cr2, as 8 hex digits)."""
    PANICS[name] = Panic(exception, cr2)
