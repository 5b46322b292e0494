#!/usr/bin/env python3
"""Fable's benchmarks: guest instructions per operation (docs/performance.md).

    tools/bench.py [--build B]            the table, B/bench.json, boot times
    tools/bench.py --quick --no-boot --check bench/baseline.json
                                          the regression guard of make test
    tools/bench.py --profile KEY...       instructions per function of KEYs
    tools/bench.py --no-trace             without the trace's cost per event
    tools/bench.py --wall-only            only the wall-time column
    tools/bench.py --update-baseline WHY  record this run as bench/baseline.json
    tools/bench.py --disk-only            only the disk's rows
    tools/bench.py --http-only            only the web server's rows

The guest program is user/bin/bench.c, run as the first program under
QEMU's -icount shift=0, where rdtsc counts guest instructions exactly, so
the counts repeat bit for bit. Boot times are wall-clock, without icount,
and so is the wall-time column of the rows in WALL_KEYS: `bench -w` under
plain TCG, the median of many batches in rdtsc cycles, which follow the
host's clock there, turned into nanoseconds by two rdtsc readings that
the host stamps with its own clock (QEMU's speed, not the kernel's alone;
the host's load is printed beside it). Reported, never asserted.
The disk's rows come from a second boot, `bench -p -d` with a fresh ext2
image as hda (make_image: 16 MiB of data nobody has read, so cold reads
go to the disk), under -icount with sleep=on: a CPU waiting for the disk
idles in real time, which the disk's deadlines need (with sleep=off its
clock races through the ticks and a write can time out), and bench
leaves the idle thread's share out (kstat). Those counts move by a few
hundred instructions with where the timer ticks fall.
The web server's rows (tools/httpbench.py) boot httpd with a disk
image and are the host's requests: guest instructions per GET under
-icount with sleep=on, and requests per second under plain TCG.
The shell's latency under load is in guest ticks, under icount: `hog`
(user/bin/hog.c) loads the CPU and the kernel's probe (loglevel=3) says
how long each command line waited for its answer.
Standard library only.
"""
import argparse
import bisect
import collections
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__:                 # imported as tools.bench (the tests)
    from tools import httpbench
else:                           # run as tools/bench.py
    import httpbench

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "bench" / "baseline.json"
PROMPT = b"[410-shell]$ "
FIRST_IDLE = re.compile(rb"sched: first idle at tsc (\d+)\r?\n")   # kernel/proc/sched.c
REGRESSION = 1.5        # make test fails beyond this factor over the baseline
BOOTS = 10
BOOT_TARGET = 0.25      # seconds, median wall time to the prompt
SCALE_TARGET = 1.1      # yield_1000 / yield_2
LATENCY_TARGET = 50     # ticks from the Enter key to the shell's answer
PROBE = re.compile(rb"sched: enter answered in (\d+) ticks, (\d+) tsc")  # kernel/proc/sched.c
ANSWERS = 3             # commands typed under each load
LOADS = [               # (key, label, the line that starts the load)
    ("latency_threads", "key to shell's answer, 1000 spinning threads", "hog threads 1000 400"),
    ("latency_forks", "key to shell's answer, fork bomb", "hog forks 400"),
]
USER_BASE = 0x1000000   # docs/abi/memory.md §1.1: user space starts here
WALL_KEYS = ["gettid", "yield_tasks", "desched_threads"]     # user/bin/bench.c run_wall
WALL_RUNS = 3           # boots of bench -w; each row reports the median


class Op:
    """One row: key (as bench.c prints it), label, target and xv6's count
    (instructions per operation; None where there is none); for the
    disk's rows, Linux 6.1's count in place of xv6's."""

    def __init__(self, key, label, target=None, xv6=None):
        self.key, self.label, self.target, self.xv6 = key, label, target, xv6


OPS = [
    Op("empty", "empty loop iteration (included in every row)"),
    Op("gettid", "gettid (null system call)", 150, 1398),
    Op("fork_exit_wait", "fork + exit + wait", 100_000, 1_988_320),
    Op("fork_exec_wait", "fork + exec(true) + wait", 400_000, 4_100_842),
    Op("yield_tasks", "yield round trip, two tasks", 3_000),
    Op("desched_threads", "deschedule/make_runnable round trip, two threads", 3_000),
    Op("thr_create_join", "thr_create + thr_join", 20_000),
    Op("new_pages_touch_remove", "new_pages(4 KiB) + touch + remove_pages", 2_500, 4_663),
    Op("print80", "print of 80 characters (one line)", 5_000),
    # The Disks-and-files issue's targets for pipes (docs/performance.md).
    Op("pipe_roundtrip", "pipe round trip of 1 byte, two tasks", 2_000),
    Op("pipe_mib", "1 MiB through a pipe, 4 KiB writes and reads", 1_000_000),
    Op("yield_2", "yield round trip, 2 runnable threads"),
    Op("yield_1000", "yield round trip, 1000 runnable threads"),
    Op("thr_yield_2", "thr_yield round trip, two thread-library threads"),
    Op("fiber_yield_2", "fiber_yield round trip, two fibers, one kernel thread"),
    Op("fiber_yield_mn", "fiber_yield round trip, M:N (3 fibers, 2 threads)"),
]
OP_KEYS = [op.key for op in OPS]

# `bench -d` (user/bin/bench.c): the Disks-and-files issue's targets and
# its Linux 6.1 counts (the last column).
DISK_OPS = [
    Op("disk_write_mib", "write 1 MiB in 64 KiB writes + fsync, per MiB", 2_500_000, 4_960_000),
    Op("disk_cold_mib", "read 1 MiB cold (from the disk), 64 KiB reads", 1_200_000, 1_770_000),
    Op("disk_warm_mib", "read 1 MiB warm (block cache), 64 KiB reads", 300_000, 395_000),
    Op("disk_pread_4k", "4 KiB read at a random offset, warm (pread)", 2_000, 3_005),
    Op("disk_create", "create + write 1 KiB + close, per file", 50_000, 161_000),
    Op("disk_stat", "stat of a file on the disk", 3_000, 8_600),
    Op("disk_unlink", "unlink of a 1 KiB file", 15_000, 31_600),
]
DISK_KEYS = [op.key for op in DISK_OPS]
# The disk rows whose targets are met, which bench_targets enforces
# (tests/cases_bench.py); the others are reported, and join this set when
# they are met.
DISK_ENFORCED = {"disk_write_mib", "disk_cold_mib", "disk_warm_mib", "disk_pread_4k", "disk_create",
                 "disk_stat", "disk_unlink"}
DISK_MIB = 64               # the image's size
COLD_MIB = 16               # the file cold reads read
DISK_BCACHE = 1024          # block-cache buffers: the warm MiB fits


class BenchError(Exception):
    """The guest did not produce its results."""


# ---- running QEMU -----------------------------------------------------------

def qemu_argv(build, append, icount, extra=(), limit=300, cpus=1):
    """scripts/qemu with the serial line on stdout, under a hard timeout."""
    argv = ["timeout", "-k", "2", str(int(limit)), str(ROOT / "scripts/qemu"),
            "--kernel", str(Path(build) / "fable.elf"), "--append", append,
            "--display", "headless", "--smp", str(cpus)]
    if icount:
        argv.append("--icount")
        # The real-time clock on the virtual clock too: firmware that reads
        # it must see the same times at the same instructions.
        extra = ["-rtc", "base=2000-01-01T00:00:00,clock=vm", *extra]
    return argv + ["--", "-serial", "stdio", *extra]


def run_guest(build, args, icount=True, extra=(), log=None, limit=300, options="", cpus=1):
    """Boot with `-- bench -p ARGS` and return its serial output (text).
    log: a path that gets a copy of the output; limit: seconds; options:
    more of the kernel's command line; cpus: the machine's processors."""
    append = f"panic=poweroff {options} -- bench -p " + " ".join(args)
    p = subprocess.Popen(qemu_argv(build, append, icount, extra, limit, cpus), cwd=ROOT,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        raw, _ = p.communicate(timeout=limit + 5)
    except subprocess.TimeoutExpired:
        raise BenchError(f"no result within {limit:.0f}s") from None
    finally:
        if p.poll() is None:            # our own process group: QEMU too
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    out = raw.decode(errors="replace").replace("\r", "")
    if log:
        Path(log).write_text(out)
    if p.returncode != 33:
        tail = "\n".join(out.splitlines()[-5:])
        raise BenchError(f"QEMU exited {p.returncode} (33 is success); last output:\n{tail}")
    return out


def parse(out):
    """{key: (instructions per op, ops per batch, batches)} from bench.c's
    lines."""
    if m := re.search(r"^BENCH FAIL (.*)$", out, re.M):
        raise BenchError(f"the bench program failed: {m[1]}")
    if not re.search(r"^BENCH DONE$", out, re.M):
        raise BenchError("the bench program did not finish")
    return {m[1]: (float(m[2]), int(m[3]), int(m[4]))
            for m in re.finditer(r"^BENCH (\S+) (\d+\.\d) (\d+) (\d+)$", out, re.M)}


def bench(build, quick=False, log=None, limit=300):
    """Run every benchmark once; {key: instructions per op}."""
    found = parse(run_guest(build, ["-q"] if quick else [], log=log, limit=limit))
    missing = [k for k in OP_KEYS if k not in found]
    if missing:
        raise BenchError(f"no result for {', '.join(missing)}")
    return {k: found[k][0] for k in OP_KEYS}


def make_image(path):
    """A fresh ext2 image at path holding /cold: COLD_MIB MiB of
    pseudo-random bytes, the same every run (tools/mkdisk.py)."""
    import random
    with tempfile.TemporaryDirectory() as stage:
        Path(stage, "cold").write_bytes(random.Random(1).randbytes(COLD_MIB << 20))
        p = subprocess.run([sys.executable, str(ROOT / "tools/mkdisk.py"), "-o", str(path),
                            "--mib", str(DISK_MIB), "--block", "4096", stage],
                           capture_output=True, text=True)
        if p.returncode:
            raise BenchError(f"mkdisk failed: {p.stderr.strip() or p.stdout.strip()}")


def drive(img):
    """QEMU's arguments for img as hda (scripts/qemu --disk, but with
    cache=unsafe: the host's flushes are none of the guest's business)."""
    return ["-drive", f"file={img},format=raw,if=ide,index=0,cache=unsafe"]


def disk_bench(build, quick=False, log=None, limit=300, keys=()):
    """The disk's rows: `bench -p -d` on a fresh image; {key: instructions
    per op}. No --icount: -icount with sleep=on instead (the docstring
    at the top)."""
    with tempfile.TemporaryDirectory() as tmp:
        img = Path(tmp) / "bench.img"
        make_image(img)
        extra = ["-icount", "shift=0,sleep=on", "-rtc", "base=2000-01-01T00:00:00,clock=vm",
                 *drive(img)]
        args = ["-d"] + (["-q"] if quick else []) + list(keys)
        found = parse(run_guest(build, args, icount=False, extra=extra, log=log, limit=limit,
                                options=f"bcache={DISK_BCACHE}"))
    missing = [k for k in (keys or DISK_KEYS) if k not in found]
    if missing:
        raise BenchError(f"no result for {', '.join(missing)}")
    return {k: found[k][0] for k in (keys or DISK_KEYS)}


def trace_cost(build, untraced, log=None, limit=120):
    """Guest instructions per trace event while the kernel records: gettid
    with trace=syscall (two events a call: entry and exit) against gettid
    untraced. The ring is full after the warm-up, so each event also
    overwrites the oldest: the steady state of a long trace."""
    found = parse(run_guest(build, ["-q", "gettid"], log=log, limit=limit,
                            options="trace=syscall"))
    if "gettid" not in found:
        raise BenchError("no result for gettid with tracing on")
    return {"gettid_traced": found["gettid"][0],
            "per_event": (found["gettid"][0] - untraced) / 2}


SECURE_LIMIT = 1.02     # exec with secure=1 / without (docs/secure-boot.md)


def secure_cost(build, plain, quick=False, log=None, limit=120):
    """fork + exec(true) + wait booted with secure=1 and the build's
    manifest (make's $(B)/manifest, QEMU's -initrd) against the same
    without: exec then also checks true's SHA-256, which it hashes once."""
    manifest = Path(build) / "manifest"
    if not manifest.exists():
        raise BenchError(f"no {manifest}: make {manifest} (scripts/signed.mk)")
    found = parse(run_guest(build, (["-q"] if quick else []) + ["fork_exec_wait"], log=log,
                            limit=limit, options="secure=1", extra=["-initrd", str(manifest)]))
    if "fork_exec_wait" not in found:
        raise BenchError("no result for fork_exec_wait with secure=1")
    return {"fork_exec_wait_secure": found["fork_exec_wait"][0],
            "ratio": found["fork_exec_wait"][0] / plain}


def secure_rows(w, sc):
    """Table rows of exec's cost with secure=1 (secure_cost())."""
    if not sc:
        return []
    return [row(w, "fork + exec(true) + wait, secure=1", f"{sc['fork_exec_wait_secure']:,.1f}"),
            row(w, "  secure=1 / without", f"{sc['ratio']:.4f}", f"{SECURE_LIMIT}", "",
                verdict(sc["ratio"], SECURE_LIMIT))]


# ---- wall time ------------------------------------------------------------------

TSC_LINE = re.compile(rb"^BENCHW TSC (\d+)\r?\n", re.M)   # whole lines only
WALL_LINE = re.compile(r"^BENCHW (\S+) (\d+\.\d)$", re.M)


def wall_run(build, limit=120):
    """One boot of `bench -p -w` under plain TCG: {key: ns per op}. The
    guest's two TSC lines, stamped with the host's clock as they arrive,
    give rdtsc's rate."""
    p = subprocess.Popen(qemu_argv(build, "panic=poweroff -- bench -p -w", False, limit=limit),
                         cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    seen, stamps = b"", []
    try:
        while len(stamps) < 2:
            chunk = os.read(p.stdout.fileno(), 4096)
            now = time.monotonic()
            if not chunk:
                raise BenchError("bench -w ended before its second TSC line")
            seen += chunk
            stamps += [(now, int(m[1])) for m in TSC_LINE.finditer(seen)][len(stamps):]
        seen += p.stdout.read()
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    (t0, c0), (t1, c1) = stamps
    hz = (c1 - c0) / (t1 - t0)
    out = seen.decode(errors="replace").replace("\r", "")
    found = {m[1]: float(m[2]) * 1e9 / hz for m in WALL_LINE.finditer(out)}
    missing = [k for k in WALL_KEYS if k not in found]
    if missing or not re.search(r"^BENCH DONE$", out, re.M):
        tail = "\n".join(out.splitlines()[-5:])
        raise BenchError(f"bench -w gave no time for {', '.join(missing) or 'nothing'}; "
                         f"last output:\n{tail}")
    return found


def walls(build):
    """The wall-time column: the median of WALL_RUNS runs of wall_run,
    and the host's load average before them."""
    load = os.getloadavg()[0]
    runs = [wall_run(build) for _ in range(WALL_RUNS)]
    return {"ns": {k: statistics.median(r[k] for r in runs) for k in WALL_KEYS},
            "host_load": round(load, 2)}


# ---- boot -------------------------------------------------------------------

# Firmware: SeaBIOS is QEMU's default and what make run and make test use;
# qboot (a minimal firmware QEMU ships) shows what the firmware costs.
FIRMWARE = {"seabios": [], "qboot": ["-bios", "/usr/share/qemu/qboot.rom"]}
KERNEL_LINE = re.compile(rb"fable \S+ booting")      # kernel/boot/main.c, first line


def boot_watch(build, patterns, icount, extra=(), append="", limit=20.0):
    """Boot to the shell and return, for each of patterns in turn, (host
    seconds since QEMU was started, match); then stop QEMU."""
    start = time.monotonic()
    p = subprocess.Popen(qemu_argv(build, append, icount, extra), cwd=ROOT,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    seen, found = b"", []
    try:
        for pattern in patterns:
            while not (m := pattern.search(seen)):
                chunk = os.read(p.stdout.fileno(), 4096)
                if not chunk or time.monotonic() - start > limit:
                    raise BenchError(f"no {pattern.pattern!r} on serial after booting")
                seen += chunk
            found.append((time.monotonic() - start, m))
        return found
    finally:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        p.stdout.close()


def boot_stats(build, n, firmware):
    """n boots to the prompt without icount (wall seconds to the kernel's
    first line and to the prompt), and one under icount: guest
    instructions from reset to the first idle, which comes right after the
    shell's first prompt (loglevel=3 makes the kernel say when)."""
    extra = FIRMWARE[firmware]
    load = os.getloadavg()[0]           # wall times grow with the host's load
    prompt = re.compile(re.escape(PROMPT))
    walls = [boot_watch(build, [KERNEL_LINE, prompt], False, extra) for _ in range(n)]
    (_, m), = boot_watch(build, [re.compile(re.escape(PROMPT) + rb".*?" + FIRST_IDLE.pattern,
                                            re.S)], True, extra, "loglevel=3")
    return {"wall_s": [round(w[1][0], 3) for w in walls],
            "kernel_line_s": [round(w[0][0], 3) for w in walls],
            "instructions": int(m[1]), "host_load": round(load, 2)}


def boots(build, n):
    """boot_stats for each firmware that is installed."""
    return {fw: boot_stats(build, n, fw) for fw, extra in FIRMWARE.items()
            if not extra or Path(extra[-1]).exists()}


# ---- the shell under load ---------------------------------------------------

class Serial:
    """QEMU's serial line on its stdin and stdout: type, and wait for
    patterns in order."""

    def __init__(self, p, limit):
        self.p, self.seen, self.pos = p, b"", 0
        self.deadline = time.monotonic() + limit

    def type(self, line):
        self.p.stdin.write(line.encode() + b"\r")     # the UART turns \r into \n
        self.p.stdin.flush()

    def wait(self, pattern):
        """The next match of pattern (bytes regex) after the last one."""
        while not (m := pattern.search(self.seen, self.pos)):
            if time.monotonic() > self.deadline:
                raise BenchError(f"no {pattern.pattern!r} on serial")
            chunk = os.read(self.p.stdout.fileno(), 4096)
            if not chunk:
                raise BenchError(f"QEMU ended before {pattern.pattern!r}")
            self.seen += chunk
        self.pos = m.end()
        return m


def shell_latency(build, hog, limit=120):
    """Boot to the shell under icount, type hog, then ANSWERS commands
    while its load runs; the worst ticks from an Enter key to the first
    output after it (the shell's answer), as the kernel's probe says."""
    p = subprocess.Popen(qemu_argv(build, "loglevel=3", True, limit=limit), cwd=ROOT,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    prompt = re.compile(re.escape(PROMPT))
    try:
        line = Serial(p, limit)
        line.wait(prompt)
        ticks = []
        for command in [hog] + [f"echo answer {n}" for n in range(ANSWERS)]:
            line.type(command)
            ticks.append(int(line.wait(PROBE)[1]))
            line.wait(prompt)
        return max(ticks)
    finally:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()


def latencies(build):
    """{key: worst ticks} for each load of LOADS."""
    return {key: shell_latency(build, hog) for key, _, hog in LOADS}


# ---- the report ---------------------------------------------------------------

def scale_ratio(res):
    """How much a switch costs with 1000 runnable threads, relative to 2."""
    return res["yield_1000"] / res["yield_2"]


def verdict(value, target):
    """The last column: met or not (nothing where there is no target)."""
    if target is None:
        return ""
    return "ok" if value <= target else "MISSED"


def row(w, label, value, target="", xv6="", mark="", wall=""):
    """One line of the table, the label w wide."""
    return f"{label:<{w}}  {value:>12}  {wall:>8}  {target:>9}  {xv6:>9}  {mark}".rstrip()


def boot_rows(w, boot):
    """Table rows of the boot measurements (boots())."""
    rows = []
    for fw, b in boot.items():
        med, first = statistics.median(b["wall_s"]), statistics.median(b["kernel_line_s"])
        target, xv6 = (f"{BOOT_TARGET}", "0.49") if fw == "seabios" else ("", "")
        rows += [row(w, f"boot to the prompt ({fw}), median wall s", f"{med:.3f}", target, xv6,
                     verdict(med, BOOT_TARGET) if target else ""),
                 row(w, f"  of which QEMU + {fw} (to the kernel's first line)", f"{first:.3f}"),
                 row(w, "  host load average before these boots", f"{b['host_load']:.2f}"),
                 row(w, f"boot to the prompt ({fw}), guest instructions",
                     f"{b['instructions']:,}")]
    return rows


def latency_rows(w, lat):
    """Table rows of the shell's latencies (latencies())."""
    return [row(w, f"{label} (ticks)", f"{lat[key]}", f"{LATENCY_TARGET}", "",
                verdict(lat[key], LATENCY_TARGET)) for key, label, _ in LOADS if key in lat]


def trace_rows(w, tr):
    """Table rows of the trace's cost (trace_cost())."""
    if not tr:
        return []
    return [row(w, "gettid with the trace recording system calls", f"{tr['gettid_traced']:,.1f}"),
            row(w, "  trace: instructions per event recorded", f"{tr['per_event']:,.1f}")]


def table(res, boot=None, lat=None, wall=None, tr=None, sc=None, ht=None):
    """The table as lines of text."""
    w = 52
    ns = (wall or {}).get("ns", {})
    lines = [row(w, "operation", "instructions", "target", "xv6", wall="wall ns"),
             "-" * (w + 48)]
    for op in OPS if "gettid" in res else []:
        lines.append(row(w, op.label, f"{res[op.key]:,.1f}", f"{op.target:,}" if op.target else "",
                         f"{op.xv6:,}" if op.xv6 else "", verdict(res[op.key], op.target),
                         f"{ns[op.key]:,.0f}" if op.key in ns else ""))
    if "yield_2" in res:
        r = scale_ratio(res)
        lines.append(row(w, "yield with 1000 runnable / with 2", f"{r:.3f}", f"{SCALE_TARGET}",
                         "", verdict(r, SCALE_TARGET)))
    if wall:
        lines.append(row(w, "  host load average before the wall times", f"{wall['host_load']:.2f}"))
    return (lines + disk_rows(w, res) + http_rows(w, ht) + trace_rows(w, tr) + secure_rows(w, sc)
            + latency_rows(w, lat or {}) + boot_rows(w, boot or {}))


def disk_rows(w, res):
    """Table rows of the disk's operations that res holds, Linux 6.1's
    count in the last column."""
    if not any(op.key in res for op in DISK_OPS):
        return []
    lines = [row(w, "disk and files (ext2, idle left out)", "instructions", "target", "Linux")]
    for op in DISK_OPS:
        if op.key in res:
            lines.append(row(w, op.label, f"{res[op.key]:,.1f}", f"{op.target:,}",
                             f"{op.xv6:,}", verdict(res[op.key], op.target)))
    return lines


def http_rows(w, ht):
    """Table rows of the web server (httpbench): instructions per GET,
    Linux's count in the last column; requests per second."""
    if not ht:
        return []
    lines = [row(w, "web server (httpd, host clients)", "instructions", "target", "Linux")]
    for key, label, target in httpbench.OPS:
        if key in ht:
            lines.append(row(w, label, f"{ht[key]:,.1f}", f"{target:,}" if target else "",
                             f"{httpbench.LINUX[key]:,}" if key in httpbench.LINUX else "",
                             verdict(ht[key], target)))
    if "wall" in ht:
        wl = ht["wall"]
        lines += [row(w, f"  GET 1 KiB, {n} client{'s' if n > 1 else ''}, requests/s (wall)",
                      f"{r:,.1f}", mark=f"{wl['resets'][n]} reset" if wl["resets"][n] else "")
                  for n, r in wl["rps"].items()]
        lines += [row(w, "  GET 1 MiB, 1 client, MiB/s (wall)", f"{wl['mib_s']:,.2f}"),
                  row(w, "  host load average before the wall runs", f"{wl['host_load']:.2f}")]
    return lines


def http_bench(build, wall=True):
    """The web server's rows: {key: instructions per GET, "wall": ...}."""
    try:
        ht = httpbench.icount_rows(build, log=build / "bench-http.log")
        if wall:
            ht["wall"] = httpbench.wall_rows(build)
    except httpbench.HttpBenchError as e:
        raise BenchError(f"web server: {e}") from None
    return ht


def report(res, quick, boot=None, lat=None, wall=None, tr=None, sc=None, ht=None):
    """What bench.json holds."""
    out = {"quick": quick,
           "ops": {op.key: {"label": op.label, "instructions": res[op.key],
                            "target": op.target} for op in OPS + DISK_OPS if op.key in res}}
    if "yield_2" in res:
        out["yield_scale_ratio"] = round(scale_ratio(res), 4)
    if tr:
        out["trace"] = tr
    if ht:
        out["http"] = ht
    if sc:
        out["secure"] = sc
    if wall:
        for key, ns in wall["ns"].items():
            out["ops"][key]["wall_ns"] = round(ns, 1)
        out["wall_host_load"] = wall["host_load"]
    if lat:
        out["latency_ticks"] = {key: {"label": label, "ticks": lat[key],
                                      "target": LATENCY_TARGET} for key, label, _ in LOADS}
    if boot:
        out["boot"] = {fw: dict(b, wall_median_s=statistics.median(b["wall_s"]))
                       for fw, b in boot.items()}
    return out


def regressions(res, baseline):
    """Lines naming every op more than REGRESSION times its baseline."""
    base = json.loads(Path(baseline).read_text())["ops"]
    return [f"{k}: {res[k]:.1f} instructions, baseline {base[k]:.1f} "
            f"(limit {REGRESSION}x)" for k in OP_KEYS + DISK_KEYS
            if k in base and k in res and res[k] > REGRESSION * base[k]]


def update_baseline(res, why, lat=None):
    """Record res (and the latencies lat, if measured) as the baseline,
    appending why to its notes."""
    old = json.loads(BASELINE.read_text()) if BASELINE.exists() else {"notes": []}
    notes = old["notes"] + [f"{time.strftime('%Y-%m-%d')}: {why}"]
    new = {"notes": notes, "ops": res}
    if lat or "latency_ticks" in old:
        new["latency_ticks"] = lat or old["latency_ticks"]
    BASELINE.parent.mkdir(exist_ok=True)
    BASELINE.write_text(json.dumps(new, indent=2) + "\n")


# ---- profiling --------------------------------------------------------------------

TRACE = re.compile(r"Trace \d+: (0x[0-9a-f]+) \[[0-9a-f]+/([0-9a-f]+)/")


class Symbols:
    """Function names of an ELF file, for addresses."""

    def __init__(self, elf):
        out = subprocess.run(["nm", "-n", str(elf)], capture_output=True, text=True).stdout
        rows = [(int(a, 16), n) for a, t, n in
                (line.split() for line in out.splitlines() if line.count(" ") == 2)
                if t in "tTwW"]
        self.addrs = [a for a, _ in rows]
        self.names = [n for _, n in rows]

    def name(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.names[i] if i >= 0 else hex(pc)


def exec_profile(build, keys, log, disk=False):
    """Instructions per function for one run of `bench -q KEYS`, from
    QEMU's in_asm (the size of each translated block) and exec (each
    execution of a block) logs. Without icount: under icount QEMU cuts
    blocks at I/O instructions and re-runs them, which would count some
    instructions twice. disk: `bench -d` on a fresh image (the idle
    thread's instructions, and the interrupts it takes, are counted)."""
    extra = ["-d", "in_asm,exec,nochain", "-dfilter", "0x100000..0xffffffff", "-D", log]
    args, options = ["-q", *keys], ""
    if disk:
        img = Path(log).with_suffix(".img")
        make_image(img)
        extra += drive(img)
        args, options = ["-d", *args], f"bcache={DISK_BCACHE}"
    run_guest(build, args, icount=False, extra=extra, options=options, limit=600)
    kernel = Symbols(Path(build) / "fable.elf")
    size, pending, per_pc = {}, None, collections.Counter()
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("0x") and pending is not None:
                pending += 1            # one guest instruction of the block
            elif line.startswith("IN:"):
                pending = 0
            elif m := TRACE.match(line):
                if pending is not None:  # a block runs right after translation
                    size[m[1]], pending = pending, None
                per_pc[int(m[2], 16)] += size.get(m[1], 0)
    funcs = collections.Counter()
    for pc, n in per_pc.items():
        funcs["(user code)" if pc >= USER_BASE else kernel.name(pc)] += n
    return funcs


# Disk operations that need another to have run first (bench.c).
DISK_NEEDS = {"disk_stat": ["disk_create"], "disk_unlink": ["disk_create"]}


def profile(build, keys, top):
    """Print where the instructions of each op in keys go, per operation:
    a run of the op minus a run of nothing (boot and start-up), or of
    what it needs (DISK_NEEDS)."""
    with tempfile.TemporaryDirectory() as tmp:
        base = exec_profile(build, ["none"], f"{tmp}/none.log")
        for key in keys:
            disk = key in DISK_KEYS
            needs = DISK_NEEDS.get(key, [])
            if disk:
                make_image(f"{tmp}/count.img")
                out = run_guest(build, ["-d", "-q", *needs, key], icount=False,
                                extra=drive(f"{tmp}/count.img"), options=f"bcache={DISK_BCACHE}")
            else:
                out = run_guest(build, ["-q", key])
            _, n, batches = parse(out)[key]
            ops = n * (batches + 1)     # the warm-up too
            funcs = exec_profile(build, [*needs, key], f"{tmp}/{key}.log", disk)
            funcs.subtract(exec_profile(build, needs or ["none"], f"{tmp}/base.log", disk)
                           if disk else base)
            total = sum(funcs.values())
            print(f"{key}: {total / ops:,.1f} instructions per op (exec log), by function:")
            for name, n in funcs.most_common(top):
                if n / ops >= 0.1:     # below that: noise from timer ticks
                    print(f"  {n / ops:10,.1f}  {100 * n / total:5.1f}%  {name}")


# ---- main ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build", help="make's B (default: build)")
    ap.add_argument("--quick", action="store_true", help="fewer batches")
    ap.add_argument("--no-boot", action="store_true", help="skip the boot measurements")
    ap.add_argument("--no-latency", action="store_true",
                    help="skip the shell's latency under load")
    ap.add_argument("--no-wall", action="store_true",
                    help="skip the wall-time column (plain TCG)")
    ap.add_argument("--no-trace", action="store_true",
                    help="skip the cost of an event with tracing on")
    ap.add_argument("--no-secure", action="store_true",
                    help="skip exec's cost with secure=1")
    ap.add_argument("--wall-only", action="store_true",
                    help="print only the wall-time column, and the host's load")
    ap.add_argument("--check", metavar="BASELINE",
                    help=f"fail if an op costs over {REGRESSION}x its baseline")
    ap.add_argument("--profile", nargs="+", metavar="KEY", choices=OP_KEYS + DISK_KEYS,
                    help="instructions per function of these operations")
    ap.add_argument("--top", type=int, default=25, help="functions --profile shows")
    ap.add_argument("--no-disk", action="store_true", help="skip the disk's rows")
    ap.add_argument("--disk-only", action="store_true", help="only the disk's rows")
    ap.add_argument("--no-http", action="store_true", help="skip the web server's rows")
    ap.add_argument("--http-only", action="store_true", help="only the web server's rows")
    ap.add_argument("--update-baseline", metavar="WHY",
                    help="record this run in bench/baseline.json, noting why")
    a = ap.parse_args()
    build = Path(a.build) if Path(a.build).is_absolute() else ROOT / a.build
    try:
        if a.profile:
            profile(build, a.profile, a.top)
            return 0
        if a.wall_only:
            wall = walls(build)
            for key in WALL_KEYS:
                print(f"{key:<16} {wall['ns'][key]:8,.0f} ns")
            print(f"host load average before: {wall['host_load']:.2f}")
            return 0
        if a.disk_only:
            res = disk_bench(build, a.quick, log=build / "bench-disk.log")
            print("\n".join(disk_rows(52, res)))
            if a.check and (bad := regressions(res, a.check)):
                print("bench: slower than the baseline:\n  " + "\n  ".join(bad), file=sys.stderr)
                return 1
            return 0
        if a.http_only:
            print("\n".join(http_rows(52, http_bench(build, not a.no_wall))))
            return 0
        res = bench(build, a.quick, log=build / "bench.log")
        if not a.no_disk:
            res.update(disk_bench(build, a.quick, log=build / "bench-disk.log"))
        tr = None if a.no_trace else trace_cost(build, res["gettid"], log=build / "bench-trace.log")
        sc = None if a.no_secure else secure_cost(build, res["fork_exec_wait"], a.quick,
                                                  log=build / "bench-secure.log")
        ht = None if a.no_http else http_bench(build, not a.no_wall)
        wall = None if a.no_wall else walls(build)
        lat = None if a.no_latency else latencies(build)
        boot = None
        if not a.no_boot:
            boot = boots(build, BOOTS)
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    print("\n".join(table(res, boot, lat, wall, tr, sc, ht)))
    (build / "bench.json").write_text(json.dumps(report(res, a.quick, boot, lat, wall, tr, sc, ht),
                                                 indent=2) + "\n")
    print(f"written: {build / 'bench.json'}")
    if a.update_baseline:
        update_baseline(res, a.update_baseline, lat)
    if a.check and (bad := regressions(res, a.check)):
        print("bench: slower than the baseline:\n  " + "\n  ".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
