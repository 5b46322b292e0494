"""The benchmarks' regression guard (docs/performance.md).

The bench program runs in quick mode under QEMU's -icount, where
instruction counts are deterministic: these are not timed tests.
bench_regression fails if any operation costs more than 1.5 times its
instructions in bench/baseline.json (update that file only with a note
of why: tools/bench.py --update-baseline WHY); bench_targets runs it
twice and wants the same counts (within 0.1%) and every instruction
target of the Benchmarks issue met, and, from one run of the disk's
rows, the targets of those in tools/bench.py DISK_ENFORCED;
bench_http_target runs the web server's rows once (tools/httpbench.py)
and wants the 1 KiB GET's target met.
"""
import tools.bench as bench
from tests.runner import case


@case(boot=False, timeout=90)
def bench_regression(s):
    """No operation of tools/bench.py is 1.5x slower than its baseline."""
    try:
        res = bench.bench(s.cfg.build, quick=True, log=s.logdir / "bench.log",
                          limit=max(s.remaining() - 5, 10))
    except bench.BenchError as e:
        s.fail(str(e))
    bad = bench.regressions(res, bench.BASELINE)
    if bad:
        s.fail("; ".join(bad))


REPEAT_TOLERANCE = 0.001        # two runs agree to 0.1%


@case(boot=False, timeout=150)
def bench_targets(s):
    """Two runs count the same instructions per operation, and each
    operation is within its target (tools/bench.py OPS), as is each disk
    row whose target is met (DISK_ENFORCED: one run, as those counts move
    a little with where the timer ticks fall)."""
    runs = []
    for i in range(2):
        try:
            runs.append(bench.bench(s.cfg.build, quick=True, log=s.logdir / f"bench{i}.log",
                                    limit=max(s.remaining() / 2 - 5, 10)))
        except bench.BenchError as e:
            s.fail(str(e))
    a, b = runs
    differ = [f"{k}: {a[k]:.1f} then {b[k]:.1f}" for k in bench.OP_KEYS
              if abs(a[k] - b[k]) > REPEAT_TOLERANCE * max(a[k], b[k])]
    if differ:
        s.fail("not repeatable: " + "; ".join(differ))
    missed = [f"{op.key}: {a[op.key]:.1f} > {op.target}" for op in bench.OPS
              if op.target is not None and a[op.key] > op.target]
    if bench.scale_ratio(a) > bench.SCALE_TARGET:
        missed.append(f"yield_1000 / yield_2 = {bench.scale_ratio(a):.3f} > {bench.SCALE_TARGET}")
    try:
        d = bench.disk_bench(s.cfg.build, quick=True, log=s.logdir / "bench-disk.log",
                             limit=max(s.remaining() - 5, 10))
    except bench.BenchError as e:
        s.fail(str(e))
    missed += [f"{op.key}: {d[op.key]:.1f} > {op.target}" for op in bench.DISK_OPS
               if op.key in bench.DISK_ENFORCED and d[op.key] > op.target]
    if missed:
        s.fail("targets missed: " + "; ".join(missed))


@case(boot=False, timeout=120)
def bench_http_target(s):
    """make bench's web-server rows run (httpd on a disk image, the host's
    GETs, instructions counted under icount) and a 1 KiB GET, a
    connection each, is within its target (tools/httpbench.py OPS)."""
    try:
        ht = bench.httpbench.icount_rows(s.cfg.build, log=s.logdir / "bench-http.log")
    except bench.httpbench.HttpBenchError as e:
        s.fail(str(e))
    missed = [f"{key}: {ht[key]:,.1f} > {target:,}" for key, _, target in bench.httpbench.OPS
              if target is not None and ht[key] > target]
    if missed:
        s.fail("targets missed: " + "; ".join(missed))


@case(boot=False, timeout=90)
def bench_wall_runs(s):
    """`bench -w` under plain TCG gives a time for each row of the
    wall-time column (make bench); the times are reported there, never
    judged here."""
    try:
        ns = bench.wall_run(s.cfg.build, limit=max(s.remaining() - 5, 10))
    except bench.BenchError as e:
        s.fail(str(e))
    bad = [k for k in bench.WALL_KEYS if not ns[k] > 0]
    if bad:
        s.fail(f"no positive time for {', '.join(bad)}: {ns}")


@case(boot=False, timeout=10)
def bench_smp_parsing(s):
    """make bench-smp (tools/bench_smp.py) is wall-clock and never run by
    make test; its reading of spin's output and its ratios are: one SPIN
    line among the kernel's, refused when missing or doubled, and each
    load's throughput divided by the one at the fewest CPUs; and its
    instruction counts: bench -s's lines, and the cost per IPI derived."""
    import tools.bench_smp as smp
    log = ("[      0] info: fable 0.1 booting\r\nSPIN threads 4 ticks 301 work 60200\r\n"
           "[    305] info: poweroff\r\n")
    if smp.parse_spin(log) != ("threads", 4, 301, 60200):
        s.fail(f"parsed {smp.parse_spin(log)}")
    for bad in ("no line at all\n", log + log, "SPIN forks 2 ticks 0 work 5\n"):
        try:
            smp.parse_spin(bad)
        except smp.BenchError:
            continue
        s.fail(f"accepted {bad!r}")
    res = {("threads", 2): {1: (300, 3000), 2: (300, 5400), 4: (200, 3600)},
           ("forks", 2): {1: (300, 0), 2: (300, 10)}}
    r = smp.ratios(res)
    if [round(r[("threads", 2)][c], 3) for c in (1, 2, 4)] != [1.0, 1.8, 1.8]:
        s.fail(f"ratios {r[('threads', 2)]}")
    if r[("forks", 2)][2] is not None:
        s.fail("a ratio to a throughput of 0")
    lines = smp.table(res, 2, 0.5)
    if not lines[0].startswith("host: 2 cores, load average 0.50") or "1.80x" not in lines[2]:
        s.fail(f"table {lines}")
    one = ("BENCH desched_threads 1000.0 200 5\nBENCHIPI desched_threads 0.0 0.0\n"
           "BENCH new_pages_touch_remove 1800.0 200 5\nBENCHIPI new_pages_touch_remove 0.0 0.0\n"
           "BENCH pages_shootdown 1800.0 200 5\nBENCHIPI pages_shootdown 0.0 0.0\nBENCH DONE\n")
    two = ("BENCH desched_threads 1300.0 200 5\nBENCHIPI desched_threads 2.0 0.0\n"
           "BENCH new_pages_touch_remove 1900.0 200 5\nBENCHIPI new_pages_touch_remove 0.0 0.0\n"
           "BENCH pages_shootdown 2300.0 200 5\nBENCHIPI pages_shootdown 2.0 2.0\nBENCH DONE\n")
    rows = {1: smp.parse_icount(one), 2: smp.parse_icount(two)}
    if rows[2]["pages_shootdown"] != (2300.0, 2.0, 2.0):
        s.fail(f"parsed {rows[2]}")
    if smp.per_ipi(rows, 2) != (200.0, 150.0):
        s.fail(f"per IPI {smp.per_ipi(rows, 2)}")
    if smp.per_ipi(rows, 1) != (None, None):
        s.fail("a cost per IPI where none was sent")
    try:
        smp.parse_icount(two.replace("BENCHIPI pages_shootdown 2.0 2.0\n", ""))
        s.fail("accepted a missing IPI line")
    except smp.BenchError:
        pass


@case(boot=False, timeout=120)
def bench_disk(s):
    """`bench -d` on a fresh ext2 image (tools/bench.py disk_bench) gives
    a count for every disk row, with the idle thread's share left out
    (kstat's idle_tsc), and none is 1.5x slower than its baseline. The
    counts move a little with where the timer ticks fall, so they are not
    compared run to run."""
    try:
        res = bench.disk_bench(s.cfg.build, quick=True, log=s.logdir / "bench-disk.log",
                               limit=max(s.remaining() - 10, 10))
    except bench.BenchError as e:
        s.fail(str(e))
    bad = [k for k in bench.DISK_KEYS if not res[k] > 0]
    if bad:
        s.fail(f"no positive count for {', '.join(bad)}: {res}")
    bad = bench.regressions(res, bench.BASELINE)
    if bad:
        s.fail("; ".join(bad))
