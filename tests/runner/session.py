"""The session: what one test works with. It boots QEMU (at most once),
waits for serial output, types, reads the screen, and keeps the test's
logs under <build>/test-logs/<test>/ until the verdict is known."""
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.runner import keys
from tests.runner.machine import Machine, StartError, symbol
from tests.runner.qmp import QmpError
from tests.runner.registry import Fail

# QEMU exit statuses: isa-debug-exit turns guest status N into 2N+1.
EXIT_PASS, EXIT_FAIL, EXIT_PANIC = 33, 35, 37
LEAKCHECK_RE = (r"leakcheck: kstat (before|after): (free_frames=\d+ heap=\d+ tasks=\d+ threads=\d+"
                r" files=\d+ pipes=\d+ fs_pages=\d+)")
TIMEOUT_STATUS = 124            # timeout(1) ended QEMU
STOP_SYMBOL = "machine_poweroff"
READY_RE = re.compile(r"fable: ready")      # kernel/boot/main.c, once input works
LAST_LINE = 200                 # characters of the last line a failure shows


@dataclass
class Config:
    """Settings of one run of the runner."""
    root: Path                  # top of the tree
    build: Path                 # make's $(B)
    verbose: bool = False
    mem: int = 0                # MiB of RAM for every boot (0: scripts/qemu's)
    smp: int = 0                # processors of every boot that names none (0: one)

    @property
    def make_b(self):
        """B= for a make run by a test: as the user wrote it, so that the
        targets match those in the dependency files."""
        return str(self.build.relative_to(self.root)) if self.build.is_relative_to(self.root) \
            else str(self.build)

    @property
    def kernel(self):
        return self.build / "fable.elf"

    @property
    def logroot(self):
        return self.build / "test-logs"


def describe_exit(code):
    """A person's words for a QEMU exit status."""
    return {
        None: "QEMU still running",
        EXIT_PASS: "exit 33 (guest PASS)",
        EXIT_FAIL: "exit 35 (guest FAIL)",
        EXIT_PANIC: "exit 37 (kernel panic)",
        TIMEOUT_STATUS: "killed by the hard timeout",
        0: "exit 0 (triple fault, or QEMU quit)",
        1: "exit 1 (QEMU error, or guest status 0)",
    }.get(code, f"exit {code}")


class Session:
    """One test's QEMU boot, deadline and log directory."""

    def __init__(self, name, cfg, timeout):
        self.name = name
        self.cfg = cfg
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.logdir = cfg.logroot / name
        shutil.rmtree(self.logdir, ignore_errors=True)
        self.logdir.mkdir(parents=True)
        self.machine = None
        self.cursor = 0         # wait_for searches serial output from here

    # --- time and verdicts

    def remaining(self):
        """Seconds left before the test's deadline."""
        return max(self.deadline - time.monotonic(), 0.0)

    def fail(self, reason):
        """End the test with a one-line reason."""
        raise Fail(reason)

    # --- booting

    def boot(self, cmdline="", *, cdrom=None, poweroff=True, mem=None, cpu=None,
             icount=False, smp=None, disk=None, net=None, net_udp=None, initrd=None):
        """Start QEMU on the kernel with cmdline (panic=poweroff added
        unless poweroff=False), or on the ISO image cdrom (whose command
        line GRUB's configuration decides); mem: MiB of RAM instead of
        scripts/qemu's default; cpu: a QEMU CPU model instead of its
        default; smp: how many processors (scripts/qemu --smp; default the runner's
        --smp, CPUS= of make test); icount: True counts guest time in guest instructions
        (scripts/qemu --icount: shift=0, so that what the guest measures in
        ticks does not depend on the host's load), or a QEMU -icount
        setting such as "shift=auto" (the guest's clock, and the pace of
        typed keys, then follow the instructions it runs, so a host too
        busy to run QEMU for a while does not make keys pile up); disk: a
        raw image attached as the first IDE disk (scripts/qemu --disk);
        net: a host port forwarded to the guest's port 80, with an e1000
        on QEMU's user network (scripts/qemu --net); net_udp: (L, R), the
        e1000 on a wire of UDP datagrams from host port L and to R
        (scripts/qemu --net-udp);
        initrd: a file the kernel gets as its first Multiboot module
        (scripts/qemu --initrd: the manifest of docs/secure-boot.md)."""
        if self.machine:
            raise RuntimeError("a session boots QEMU once")
        if cdrom:
            args = ["--cdrom", str(cdrom)]
        else:
            line = f"panic=poweroff {cmdline}" if poweroff else cmdline
            args = ["--kernel", str(self.cfg.kernel), "--append", line.strip()]
        if mem or self.cfg.mem:
            args += ["--mem", str(mem or self.cfg.mem)]
        if cpu:
            args += ["--cpu", cpu]
        # icount=True (shift=0) counts one CPU's instructions; QEMU 7.2
        # also stalls its virtual clock with it on several (the boot
        # CPU waits for a PIT tick for ever), so it keeps to one unless
        # the test asks.
        smp = smp or (self.cfg.smp if icount is not True else 0)
        if smp:
            args += ["--smp", str(smp)]
        if icount is True:
            args.append("--icount")
        if disk:
            args += ["--disk", str(disk)]
        if net:
            args += ["--net", str(net)]
        if net_udp:
            args += ["--net-udp", f"{net_udp[0]}:{net_udp[1]}"]
        if initrd:
            args += ["--initrd", str(initrd)]
        stop_at = symbol(str(self.cfg.kernel), STOP_SYMBOL)
        try:
            self.machine = Machine(self.cfg.root, args, self.logdir, self.remaining() + 5,
                                   stop_at, ["-icount", icount] if isinstance(icount, str) else [])
        except StartError as e:
            self.fail(str(e))

    def boot_test(self, line, *, mem=None, cpu=None, icount=False, smp=None, kargs=""):
        """Boot with the test program line ("NAME ARGS") under leakcheck
        (user/bin/leakcheck.c), which reaps it and its orphans, checks
        the kernel's counters come back, and powers off with the verdict;
        kargs: kernel options before it."""
        self.boot(f"{kargs} -- leakcheck -p {line}".strip(), mem=mem, cpu=cpu,
                  icount=icount, smp=smp)

    def expect_test_pass(self, name):
        """The verdict of a test booted by boot_test: TEST PASS name,
        exit 33, and leakcheck's counters equal before and after."""
        self.expect_pass(f"TEST PASS {name}")
        # A child task or thread may have failed on its own, its task ended
        # with status 1 but the test's main task unaware of it.
        bad = self.lines_matching(rf"^TEST FAIL {re.escape(name)}$|CHECK FAILED: .*:\d+\)$")
        if bad:
            self.fail(f"passed, but also: {bad[0][1][0]}")
        self.expect_no_leak(name)

    def expect_no_leak(self, name):
        """leakcheck reported on name, with the same counters before and
        after it (QEMU's exit status is checked by the caller)."""
        counts = dict(re.findall(LEAKCHECK_RE, self.serial))
        if set(counts) != {"before", "after"} or f"LEAKCHECK PASS {name}" not in self.serial:
            self.fail(f"leakcheck did not report on {name}")
        if counts["before"] != counts["after"]:
            self.fail(f"leaked: kstat before {counts['before']}; after {counts['after']}")

    def _m(self):
        if not self.machine:
            raise RuntimeError("the session has not booted QEMU")
        return self.machine

    # --- serial output

    @property
    def serial(self):
        """All serial output so far (\\r removed)."""
        return self._m().serial.text

    def wait_for(self, pattern, timeout=None):
        """Wait for regex pattern in the serial output after the previous
        wait_for's match and return the match; fail on timeout or if
        QEMU ends first. Partial lines count (prompts end in no newline),
        so `$` also matches at the end of what has arrived so far."""
        limit = self.remaining() if timeout is None else min(timeout, self.remaining())
        m = self._m().serial.wait(re.compile(pattern, re.M), self.cursor,
                                  time.monotonic() + limit)
        if not m:
            ended = self.machine.serial.closed
            why = f"QEMU ended: {describe_exit(self.wait_exit(2))}" if ended \
                else f"timed out after {limit:.0f}s"
            self.fail(f"no /{pattern}/ on serial ({why}); last line: {self.last_line()!r}")
        self.cursor = m.end()
        return m

    def wait_line(self, pattern, timeout=None):
        """wait_for a whole line that pattern matches entirely (a line
        still being received does not count)."""
        return self.wait_for(rf"^(?:{pattern})\n", timeout)

    def lines_matching(self, pattern):
        """[(host time, match)] for each whole serial line matching."""
        rx = re.compile(pattern)
        with self._m().serial.cond:
            lines = list(self.machine.serial.lines)
        return [(t, m) for t, line in lines if (m := rx.search(line))]

    def has_line(self, line):
        """Whether the serial output has exactly this line."""
        return bool(self.lines_matching(rf"^\s*{re.escape(line)}\s*$"))

    def last_line(self):
        """The last non-blank serial line, for failure reasons: its last
        LAST_LINE characters (a fuzzed line can be megabytes)."""
        line = self.serial.rstrip()[-LAST_LINE - 1:].split("\n")[-1].strip()
        return line if len(line) <= LAST_LINE else "..." + line[-LAST_LINE:]

    # --- input (lost if sent before the kernel is ready: each waits)

    def _ready(self):
        m = self._m()
        if not m.serial.wait(READY_RE, 0, self.deadline):
            self.fail(f"never saw 'fable: ready' to type into; last line: {self.last_line()!r}")
        return m

    def type_keys(self, text):
        """Type text on the PS/2 keyboard (shift as needed; \\n is Enter,
        \\b Backspace)."""
        self._ready().send_keys(keys.chords(text))

    def press(self, *qcodes):
        """Press keys together, by QEMU name (e.g. "caps_lock", "ctrl")."""
        self._ready().send_keys([list(qcodes)])

    def type_serial(self, data):
        """Send raw bytes (or text) to the guest's serial port."""
        self._ready().write_serial(data.encode() if isinstance(data, str) else data)

    def hold_serial(self, seconds):
        """Stop reading the serial line for seconds (a slow terminal):
        the guest's serial output backs up meanwhile."""
        self._m().serial.hold(seconds)

    # --- the screen

    def vga(self):
        """The VGA text screen now, with attributes (a vga.Screen)."""
        try:
            return self._m().vga()
        except QmpError as e:
            self.fail(f"cannot read the screen: {e}")

    def screen(self):
        """The 25 lines of the VGA text screen now (trailing blanks cut)."""
        return self.vga().text()

    def final_screen(self):
        """The screen when the kernel called machine_poweroff."""
        self.wait_exit()
        if not self._m().final:
            self.fail("no screen was captured at machine_poweroff")
        return self.machine.final

    def screenshot(self, path):
        """Save a PNG of the screen (as QEMU draws it) to path."""
        self._m().screenshot(os.path.abspath(path))

    # --- the end

    def wait_exit(self, timeout=None):
        """QEMU's exit status, or None if it runs past timeout (default:
        the test's deadline)."""
        limit = self.remaining() if timeout is None else min(timeout, self.remaining())
        return self._m().wait_exit(limit)

    def expect_exit(self, code, timeout=None):
        """Fail unless QEMU ends with status code."""
        got = self.wait_exit(timeout)
        if got != code:
            self.fail(f"{describe_exit(got)}, expected {describe_exit(code)}; "
                      f"last line: {self.last_line()!r}")

    def expect_pass(self, marker):
        """The usual verdict: exit 33 and the line marker on serial."""
        code = self.wait_exit()
        if code == EXIT_PASS and self.has_line(marker):
            return
        if code == EXIT_PASS:
            self.fail(f"exit 33 but no line {marker!r}")
        if code is None:
            self.fail(f"timed out after {self.timeout:.0f}s; last line: {self.last_line()!r}")
        self.fail(f"{describe_exit(code)}: {self.complaint()}")

    def complaint(self):
        """The serial line that best says what went wrong: a panic's first,
        then a failed check, then any line saying FAIL (a fuzzer's output
        may hold that word anywhere)."""
        for pattern in (r"PANIC:.*", r"(CHECK FAILED|LEAKCHECK FAIL).*", r".*FAIL.*"):
            found = self.lines_matching(pattern)
            if found:
                return found[0][1][0].strip()
        return self.last_line()

    def make(self, *args, timeout=None):
        """Run make in the tree with args; returns (status, output). The
        output is kept in make.log."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
        limit = self.remaining() if timeout is None else timeout
        try:
            p = subprocess.run(["make", *args], cwd=self.cfg.root, env=env, timeout=limit,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        except subprocess.TimeoutExpired:
            self.fail(f"make {' '.join(args)} timed out after {limit:.0f}s")
        with open(self.logdir / "make.log", "a") as f:
            f.write(f"$ make {' '.join(args)}\n{p.stdout}")
        return p.returncode, p.stdout

    def close(self, keep):
        """Stop QEMU; keep the logs (plus the screen) if keep, else
        delete them. Returns the log directory when kept."""
        if self.machine and keep:
            self._save_screen()
        if self.machine:
            self.machine.close()
        if keep:
            return self.logdir
        shutil.rmtree(self.logdir, ignore_errors=True)
        return None

    def _save_screen(self):
        m = self.machine
        if m.proc.poll() is None:
            try:
                (self.logdir / "screen.txt").write_text(m.vga().dump())
                m.screenshot(str((self.logdir / "screen.png").resolve()))
            except (QmpError, OSError):
                pass            # QEMU went away meanwhile: final.* may exist
        if m.final:
            (self.logdir / "final.txt").write_text(m.final.dump())
