"""The benchmarks' regression guard (docs/performance.md).

The bench program runs once in quick mode under QEMU's -icount, where
instruction counts are deterministic: this is not a timed test. It fails
if any operation costs more than 1.5 times its instructions in
bench/baseline.json (update that file only with a note of why:
tools/bench.py --update-baseline WHY).
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
