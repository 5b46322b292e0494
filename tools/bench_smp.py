#!/usr/bin/env python3
"""make bench-smp: how throughput grows with processors (docs/smp.md).

    tools/bench_smp.py [--build B] [--cpus 1,2,4] [--ticks 300]

Boots Fable under QEMU's multi-threaded TCG (-accel tcg,thread=multi:
one host thread per guest CPU) at each CPU count, with user/bin/spin.c as
the first program, once per load:

  threads N   N threads of one task count rounds of a busy loop
  forks N     N tasks each fork, let the child exit and wait, in a loop

each for the same number of guest ticks, and prints the work done per
tick as a ratio to one CPU. The guest's ticks follow the host's clock
here (no -icount), so the numbers are wall-clock throughput and depend on
the host: it prints the host's core count and load beside them, since a
host with two cores cannot show more than 2x, and a busy one less.

Then it counts instructions under -icount, at 1 and 2 CPUs, with
`bench -s` (user/bin/bench.c): a deschedule/make_runnable hand-off
between two threads, and new_pages/remove_pages with and without a
second thread of the task running (at 2 CPUs, on the other CPU, so each
remove_pages shoots its TLB down). QEMU then runs the CPUs in turn on one
host thread and the guest's clock counts the instructions of all of
them, so the extra instructions per IPI are what an IPI costs both CPUs.

Not a test: nothing is asserted (make test only checks the parsing,
tests/cases_bench.py). Standard library only.
"""
import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

if __package__:                 # imported as tools.bench_smp (the tests)
    from tools import bench
else:                           # run as tools/bench_smp.py
    import bench

ROOT = Path(__file__).resolve().parent.parent
LOADS = [("threads", 2), ("threads", 4), ("forks", 2), ("forks", 4)]
SPIN_RE = re.compile(r"^SPIN (threads|forks) (\d+) ticks (\d+) work (\d+)\r?$", re.M)


class BenchError(Exception):
    pass


def parse_spin(text):
    """The one SPIN line of a run's serial output: (kind, n, ticks, work)."""
    found = SPIN_RE.findall(text)
    if len(found) != 1:
        raise BenchError(f"expected one SPIN line, found {len(found)}")
    kind, n, ticks, work = found[0]
    if int(ticks) <= 0:
        raise BenchError("a run of no ticks")
    return kind, int(n), int(ticks), int(work)


def ratios(results):
    """results: {(kind, n): {cpus: (ticks, work)}} -> {(kind, n): {cpus:
    throughput / throughput at the fewest CPUs}}, None where that is 0."""
    out = {}
    for load, by_cpus in results.items():
        base_cpus = min(by_cpus)
        bt, bw = by_cpus[base_cpus]
        base = bw / bt
        out[load] = {c: (w / t) / base if base else None for c, (t, w) in by_cpus.items()}
    return out


def run(build, cpus, kind, n, ticks, limit):
    """One boot: spin KIND N TICKS at cpus CPUs; (ticks, work)."""
    argv = ["timeout", "-k", "2", str(int(limit)), str(ROOT / "scripts/qemu"),
            "--kernel", str(Path(build) / "fable.elf"),
            "--append", f"panic=poweroff -- spin {kind} {n} {ticks} -p",
            "--display", "headless", "--smp", str(cpus),
            "--", "-serial", "stdio", "-accel", "tcg,thread=multi"]
    p = subprocess.run(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=limit + 5)
    _, _, t, w = parse_spin(p.stdout.decode(errors="replace"))
    return t, w


IPI_RE = re.compile(r"^BENCHIPI (\S+) (\d+\.\d) (\d+\.\d)$", re.M)
SMP_KEYS = ("desched_threads", "new_pages_touch_remove", "pages_shootdown")


def parse_icount(out):
    """{key: (instructions per op, IPIs per op, shootdowns per op)} from
    `bench -s`'s lines."""
    found = bench.parse(out)
    ipis = {m[1]: (float(m[2]), float(m[3])) for m in IPI_RE.finditer(out)}
    missing = [k for k in SMP_KEYS if k not in found or k not in ipis]
    if missing:
        raise BenchError(f"no result for {', '.join(missing)}")
    return {k: (found[k][0], *ipis[k]) for k in SMP_KEYS}


def icount_rows(build, cpus=(1, 2)):
    """{cpus: parse_icount(...)}: `bench -s` under -icount at each count."""
    out = {}
    for c in cpus:
        print(f"bench-smp: instructions at {c} cpu(s)...", file=sys.stderr, flush=True)
        try:
            text = bench.run_guest(build, ["-s"], cpus=c, log=Path(build) / f"bench-smp-{c}.log")
        except bench.BenchError as e:
            raise BenchError(str(e)) from None
        out[c] = parse_icount(text)
    return out


def per_ipi(rows, cpus):
    """Extra instructions per IPI at cpus CPUs: the shootdown's (pages
    with a second thread running, less pages alone, per shootdown IPI) and
    the wake-up's (a hand-off at cpus CPUs less one at 1 CPU, per IPI);
    None where no IPI was sent."""
    r, one = rows[cpus], rows[min(rows)]
    pages, shoot = r["new_pages_touch_remove"], r["pages_shootdown"]
    desched = r["desched_threads"]
    sd = (shoot[0] - pages[0]) / shoot[1] if shoot[1] else None
    wk = (desched[0] - one["desched_threads"][0]) / desched[1] if desched[1] else None
    return sd, wk


def icount_table(rows):
    """The instruction counts, as lines."""
    cpus = sorted(rows)
    lines = ["under -icount: guest instructions per operation, all CPUs' (IPIs per op)",
             "operation".ljust(26) + "".join(f"{c} cpu{'s' if c > 1 else ''}".rjust(20)
                                             for c in cpus)]
    for k in SMP_KEYS:
        lines.append(k.ljust(26) + "".join(f"{rows[c][k][0]:,.1f} ({rows[c][k][1]:.1f})".rjust(20)
                                           for c in cpus))
    for c in cpus[1:]:
        sd, wk = per_ipi(rows, c)
        fmt = lambda x: "-" if x is None else f"{x:,.0f}"
        lines.append(f"at {c} cpus: {fmt(sd)} instructions per shootdown IPI, "
                     f"{fmt(wk)} per cross-CPU wake-up IPI")
    return lines


def table(results, host_cores, load):
    """The report, as lines."""
    cpus = sorted({c for by in results.values() for c in by})
    r = ratios(results)
    lines = [f"host: {host_cores} cores, load average {load:.2f} "
             f"(a {host_cores}-core host shows at most {host_cores}x)",
             "load".ljust(12) + "".join(f"{c} cpu{'s' if c > 1 else ''}".rjust(20) for c in cpus)]
    for (kind, n), by in results.items():
        cells = []
        for c in cpus:
            if c not in by:
                cells.append("-".rjust(20))
                continue
            t, w = by[c]
            x = r[(kind, n)][c]
            cells.append((f"{w / t:.1f}/tick " + (f"{x:.2f}x" if x is not None else "?")).rjust(20))
        lines.append(f"{kind} {n}".ljust(12) + "".join(cells))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--cpus", default="1,2,4")
    ap.add_argument("--ticks", type=int, default=300, help="guest ticks per run (100 a second)")
    ap.add_argument("--icount-only", action="store_true", help="only the instruction counts")
    args = ap.parse_args()
    cpus = [int(c) for c in args.cpus.split(",")]
    results = {}
    try:
        icount = icount_rows(args.build)
        for kind, n in LOADS if not args.icount_only else ():
            for c in cpus:
                print(f"bench-smp: {kind} {n} at {c} cpu(s)...", file=sys.stderr, flush=True)
                results.setdefault((kind, n), {})[c] = run(args.build, c, kind, n, args.ticks,
                                                           limit=args.ticks / 100 * 4 + 60)
    except (BenchError, subprocess.TimeoutExpired) as e:
        print(f"bench-smp: {e}", file=sys.stderr)
        return 1
    if results:
        for line in table(results, os.cpu_count(), os.getloadavg()[0]):
            print(line)
    for line in icount_table(icount):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
