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
host with two cores cannot show more than 2x, and a busy one less. Not a
test: nothing is asserted (make test only checks the parsing,
tests/cases_bench.py). Standard library only.
"""
import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

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
    args = ap.parse_args()
    cpus = [int(c) for c in args.cpus.split(",")]
    results = {}
    try:
        for kind, n in LOADS:
            for c in cpus:
                print(f"bench-smp: {kind} {n} at {c} cpu(s)...", file=sys.stderr, flush=True)
                results.setdefault((kind, n), {})[c] = run(args.build, c, kind, n, args.ticks,
                                                           limit=args.ticks / 100 * 4 + 60)
    except (BenchError, subprocess.TimeoutExpired) as e:
        print(f"bench-smp: {e}", file=sys.stderr)
        return 1
    for line in table(results, os.cpu_count(), os.getloadavg()[0]):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
