"""python3 -m tests.runner [-jN] [-v] [--build DIR] [--list] [NAME|GLOB ...]

Runs the selected tests (all by default), N at a time, and prints one
line per test and, last, the summary `N passed, N failed[, N skipped]`.
Exits 1 if any test failed. make builds everything first; see
docs/testing.md.
"""
import argparse
import fnmatch
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.runner import discover, machine
from tests.runner.registry import Fail, Skip
from tests.runner.session import Config, Session

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    name: str
    verdict: str                # PASS, FAIL or SKIP
    reason: str = ""
    seconds: float = 0.0
    logs: Path = None


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python3 -m tests.runner",
                                description="Run Fable's tests (see docs/testing.md).")
    p.add_argument("patterns", nargs="*", metavar="NAME",
                   help="test names or globs, e.g. 'panic_*' (commas also separate)")
    p.add_argument("-j", "--jobs", type=int, default=2, help="tests at a time (default 2)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="keep every test's logs and print them after its line")
    p.add_argument("--build", default="build", help="make's build directory $(B)")
    p.add_argument("--kind", action="append", default=[],
                   help="only tests of these kinds: ktest, panic, user, case, unit "
                        "(repeat or separate with commas)")
    p.add_argument("--mem", type=int, default=0, metavar="MIB",
                   help="boot every test with this much RAM (default: scripts/qemu's 256)")
    p.add_argument("--smp", type=int, default=0, metavar="N",
                   help="processors of every boot that names none (default 1)")
    p.add_argument("--list", action="store_true", help="list the tests, run none")
    p.add_argument("--screenshot", metavar="PNG",
                   help="boot, wait for the kernel to be ready, save the screen as PNG")
    return p.parse_args(argv)


def words(args):
    """Command-line values split at commas and blanks."""
    return [w for a in args for w in a.replace(",", " ").split()]


def select(tests, patterns):
    """The tests matching any pattern, and the patterns matching none."""
    pats = words(patterns)
    if not pats:
        return tests, []
    hit = lambda t, q: fnmatch.fnmatchcase(t.name, q)
    chosen = [t for t in tests if any(hit(t, q) for q in pats)]
    return chosen, [q for q in pats if not any(hit(t, q) for t in tests)]


def run_one(test, cfg):
    """Run test with a fresh session; never raises."""
    s = Session(test.name, cfg, test.timeout)
    start = time.monotonic()
    verdict, reason = "PASS", ""
    try:
        test.body(s)
        for extra in test.checks:
            extra(s)
    except Fail as e:
        verdict, reason = "FAIL", str(e)
    except Skip as e:
        verdict, reason = "SKIP", str(e)
    except Exception as e:      # a bug in a test or the runner: still one line
        verdict, reason = "FAIL", f"runner error: {type(e).__name__}: {e}"
        (s.logdir / "traceback.txt").write_text(traceback.format_exc())
    logs = s.close(keep=verdict == "FAIL" or cfg.verbose)
    return Result(test.name, verdict, reason, time.monotonic() - start, logs)


def report_line(r, root):
    """The one line a result gets."""
    if r.verdict == "PASS":
        return f"PASS {r.name} ({r.seconds:.1f}s)"
    if r.verdict == "SKIP":
        return f"SKIP {r.name}: {r.reason}"
    if not r.logs:
        return f"FAIL {r.name}: {r.reason}"
    where = r.logs.relative_to(root) if r.logs.is_relative_to(root) else r.logs
    return f"FAIL {r.name}: {r.reason} (logs: {where}/)"


def print_logs(r):
    """-v: every log file of the test, indented under its line."""
    for f in sorted(r.logs.glob("*.log")) + sorted(r.logs.glob("*.txt")):
        print(f"    --- {f.name}")
        for line in f.read_text(errors="replace").splitlines():
            print(f"    | {line}")


def run_all(tests, cfg, jobs):
    """Run tests jobs at a time, printing each line as it finishes."""
    out = threading.Lock()
    stop = threading.Event()    # Ctrl-C: report nothing more
    results = []

    def one(test):
        if stop.is_set():
            return
        r = run_one(test, cfg)
        with out:
            if stop.is_set():
                return
            print(report_line(r, cfg.root), flush=True)
            if cfg.verbose and r.logs:
                print_logs(r)
            results.append(r)

    pool = ThreadPoolExecutor(max_workers=max(jobs, 1))
    try:
        list(pool.map(one, tests))
    except KeyboardInterrupt:
        stop.set()
        machine.kill_all()
        raise
    finally:
        pool.shutdown(cancel_futures=True)
    return results


def summary(results):
    count = lambda v: sum(r.verdict == v for r in results)
    line = f"{count('PASS')} passed, {count('FAIL')} failed"
    return line + (f", {count('SKIP')} skipped" if count("SKIP") else "")


def finish(results, unmatched, cfg):
    """Report patterns that matched nothing, then the summary (also kept
    in test-logs/summary.txt for .ci/run); returns the exit status."""
    for q in unmatched:
        results.append(Result(f"T={q}", "FAIL", "no test matches"))
        print(report_line(results[-1], cfg.root))
    line = summary(results)
    print(line)
    cfg.logroot.mkdir(parents=True, exist_ok=True)
    (cfg.logroot / "summary.txt").write_text(line + "\n")
    return 1 if any(r.verdict == "FAIL" for r in results) else 0


def screenshot(cfg, png):
    """Boot with no test, wait for the kernel, save the screen."""
    s = Session("screenshot", cfg, 30)
    try:
        s.boot()
        s.wait_for(r"fable: ready")
        time.sleep(0.5)         # let the console settle before the picture
        Path(png).parent.mkdir(parents=True, exist_ok=True)
        s.screenshot(png)
    except Fail as e:
        print(f"screenshot: {e}", file=sys.stderr)
        return 1
    finally:
        s.close(keep=False)
    print(f"wrote {png}")
    return 0


def main(argv):
    args = parse_args(argv)
    build = Path(args.build)
    cfg = Config(ROOT, build if build.is_absolute() else ROOT / build, args.verbose, args.mem,
                 args.smp)
    if args.screenshot:
        return screenshot(cfg, args.screenshot)
    try:
        tests = discover.all_tests(cfg)
    except Fail as e:
        bad = Result("discovery", "FAIL", str(e))
        print(report_line(bad, cfg.root))
        return finish([bad], [], cfg)
    kinds = words(args.kind)
    chosen, unmatched = select([t for t in tests if not kinds or t.kind in kinds],
                               args.patterns)
    if args.list:
        for t in chosen:
            print(f"{t.name:24} {t.kind:6} {t.timeout:4.0f}s")
        return 0
    try:
        results = run_all(chosen, cfg, args.jobs)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return finish(results, unmatched, cfg)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
