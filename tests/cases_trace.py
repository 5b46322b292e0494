"""Scripted tests of the kernel trace (docs/performance.md, "The trace";
docs/abi/fable.md §9) and of tools/trace, which turns its dump into a
Chrome/Perfetto JSON trace and an SVG timeline.

trace_json_threads, trace_json_fork: a real traced run of a demo, dumped
at poweroff; its JSON passes the structural check (every slice closed
and nested, times monotonic per track, every process, thread and flow
resolved) and names what it must: the programs, the system calls, the
wake-ups, the faults (copy-on-write after a fork). The run under
leakcheck also proves that tracing leaks nothing.
trace_json_fibers: fiberlies -l's stall as the kernel sees it (the
pictures of docs/lie-fibers.md): under N:1 the one kernel thread of the
fibers sleeps with S, under M:N another kernel thread runs meanwhile.
trace_pictures_current: the book's timelines were made by the tool and
recipes of this tree (docs/img/traces.txt).
trace_browser: Chromium renders a timeline, alone and in an HTML page,
to a picture that is not blank and shows the timeline's bars.
"""
import importlib.machinery
import importlib.util
import json
import struct
import subprocess
import zlib
from pathlib import Path

from tests.runner import case
from tests.runner.session import EXIT_PASS

ROOT = Path(__file__).resolve().parent.parent


def tool():
    """tools/trace as a module (it has no .py suffix: it is a command)."""
    loader = importlib.machinery.SourceFileLoader("fable_trace", str(ROOT / "tools" / "trace"))
    spec = importlib.util.spec_from_loader("fable_trace", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def traced_run(s, program, classes="all"):
    """Boot program under leakcheck, traced, under icount; the model of
    its dump and the JSON document made from it."""
    s.boot(f"trace={classes},dump,first -- leakcheck -p {program}", icount=True)
    s.expect_exit(EXIT_PASS)
    s.expect_no_leak(program.split()[0])
    log = s.logdir / "serial.log"
    log.write_text(s.serial)
    t = tool()
    try:
        events, lost = t.parse_dump(s.serial)
    except t.TraceError as e:
        s.fail(str(e))
    m = t.Model(events, lost, t.Symbols(s.cfg.build / "fable.elf"))
    doc = t.to_json(m)
    (s.logdir / "trace.json").write_text(json.dumps(doc))
    problems = t.check_json(doc)
    if problems:
        s.fail(f"{len(problems)} structural problems, first: {problems[0]}")
    return t, m, doc


def names_of(doc, ph, cat=None):
    return {ev["name"] for ev in doc["traceEvents"]
            if ev["ph"] == ph and (cat is None or ev.get("cat") == cat)}


def expect_names(s, have, want, what):
    missing = set(want) - set(have)
    if missing:
        s.fail(f"no {what} named {sorted(missing)} (have {sorted(have)[:12]})")


@case(boot=False, timeout=60)
def trace_json_threads(s):
    """racelies' threads: their program is named, their system calls are
    slices, a wake-up flows from one thread to another."""
    t, m, doc = traced_run(s, "racelies 1 3000")
    procs = {ev["args"]["name"] for ev in doc["traceEvents"]
             if ev["ph"] == "M" and ev["name"] == "process_name"}
    if not any(p.startswith("racelies [") for p in procs) or \
            not any(p.startswith("leakcheck [") for p in procs):
        s.fail(f"processes {sorted(procs)}: racelies and leakcheck should be named")
    expect_names(s, names_of(doc, "X", "syscall"), ["thread_fork", "fork", "exec", "wait"],
                 "system-call slice")
    if not any(ev["ph"] == "s" for ev in doc["traceEvents"]):
        s.fail("no wake-up flow")
    racers = [tid for tid in m.thread_order if m.task_name.get(m.task_of[tid]) == "racelies"]
    if len(racers) < 3:
        s.fail(f"racelies has threads {racers}: the main thread and two racers expected")
    if len({tid for _, tid, _, _ in m.running} & set(racers)) < 3:
        s.fail("not every racelies thread has a running slice")


@case(boot=False, timeout=60)
def trace_json_fork(s):
    """vmlies forks: the fork is on the parent's track, the child is a
    task of its own, and page faults are there, copy-on-write among them,
    with kernel functions named for faults in kernel copies."""
    t, m, doc = traced_run(s, "vmlies")
    faults = names_of(doc, "i", "fault")
    expect_names(s, faults, ["fault COW", "fault ZFOD"], "fault")
    forks = [a for tid, kind, ts, a in m.marks if kind == "fork" and a["task"] == a["child"]]
    if not forks:
        s.fail("no fork event")
    tasks = {m.task_of[tid] for tid in m.thread_order if m.task_name.get(m.task_of[tid]) == "vmlies"}
    if len(tasks) < 2:
        s.fail(f"vmlies tasks {tasks}: the parent and a forked child expected")
    blocks = [a for tid, kind, ts, a in m.marks if kind == "block" and "caller" in a]
    if not any("+0x" in a["caller"] for a in blocks):
        s.fail("no blocked thread's caller resolved to a kernel function")


def run_inside(m, tids, a, b):
    """Nanoseconds that threads tids ran within [a, b]."""
    return sum(max(0, min(e, b) - max(st, a)) for _, tid, st, e in m.running if tid in tids)


@case(boot=False, timeout=90)
def trace_json_fibers(s):
    """fiberlies -l 10 (part 2 alone, the recipe of docs/img/traces.txt,
    with rings that hold the whole run: about 92,000 events, most of them
    the M:N fibers' migrations): two of its kernel threads sleep through
    S's 10 ticks. During the first (N:1) no other thread of the task runs
    but the observer's slivers; during the second (M:N) another one runs
    most of the time."""
    t, m, doc = traced_run(s, "fiberlies -l 10", "sched,proc,events=131072")
    if m.lost:
        s.fail(f"{m.lost} events lost: the recipe's rings are too small")
    fib = {tid for tid in m.thread_order if m.task_name.get(m.task_of[tid]) == "fiberlies"}
    sleeps = sorted((a, b, tid) for tid, state, a, b in m.states
                    if tid in fib and state == "sleeping" and b - a >= 9 * t.TICK_NS)
    if len(sleeps) != 2:
        s.fail(f"{len(sleeps)} fiberlies threads asleep for 9 ticks or more: the N:1 and "
               f"the M:N run's expected ({sleeps})")
    (a1, b1, n1), (a2, b2, n2) = sleeps
    others = run_inside(m, fib - {n1}, a1, b1)
    if others > t.TICK_NS:
        s.fail(f"N:1: other fiberlies threads ran {others / 1e6:.1f} ms while thread {n1} slept")
    others = run_inside(m, fib - {n2}, a2, b2)
    if others < 0.8 * (b2 - a2):
        s.fail(f"M:N: other fiberlies threads ran only {others / 1e6:.1f} ms of the "
               f"{(b2 - a2) / 1e6:.1f} ms thread {n2} slept")


@case(boot=False, timeout=20)
def trace_pictures_current(s):
    """Every picture of docs/img/traces.txt exists and records the stamp
    of the tool, the recipe and the program that made it (make
    docs-pictures makes them again)."""
    p = subprocess.run(["python3", str(ROOT / "tools" / "trace"), "pictures", "--check"],
                       capture_output=True, text=True, timeout=15)
    if p.returncode != 0:
        s.fail((p.stdout + p.stderr).strip().splitlines()[-1])
    used = {line.split("|")[0].strip() for line in
            (ROOT / "docs" / "img" / "traces.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")}
    cited = set()
    for page in (ROOT / "docs").glob("*.md"):
        text = page.read_text()
        cited |= {n for n in used if f"img/trace-{n}.svg" in text}
    if used - cited:
        s.fail(f"pictures no chapter shows: {sorted(used - cited)}")


# ---- PNG, decoded with the standard library ------------------------------------

def png_pixels(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB(A) PNG."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError(f"PNG depth {depth}, colour type {ctype}, interlace {interlace}")
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return w, h, rows


def screenshot(s, url, out, size="1000,700"):
    profile = s.logdir / "chromium-profile"
    argv = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--user-data-dir={profile}", f"--window-size={size}", f"--screenshot={out}", url]
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=min(s.remaining(), 60))
    except FileNotFoundError:
        s.fail("chromium is not installed (scripts/deps.sh installs it)")
    except subprocess.TimeoutExpired:
        s.fail(f"chromium took too long on {url}")
    if not Path(out).exists():
        s.fail(f"chromium made no screenshot of {url}: {p.stderr.strip()[-200:]}")


def check_picture(s, png, bar):
    """Not one colour, and some pixels of the timeline's bars."""
    w, h, rows = png_pixels(png)
    colours = {px for row in rows for px in row}
    if len(colours) < 4:
        s.fail(f"{png.name}: {len(colours)} colours in {w}x{h}: blank")
    near = sum(1 for row in rows for (r, g, b) in row
               if abs(r - bar[0]) + abs(g - bar[1]) + abs(b - bar[2]) < 30)
    if near < 50:
        s.fail(f"{png.name}: only {near} pixels of the bars' colour {bar}")


@case(boot=False, timeout=120)
def trace_browser(s):
    """A timeline of a traced run, opened in headless Chromium as a file
    and inside an HTML page, renders: the screenshots are not blank and
    show the running bars (the first task's colour)."""
    t, m, doc = traced_run(s, "racelies 1 3000")
    svg = s.logdir / "trace.svg"
    svg.write_text(t.to_svg(m, "racelies 1 3000", focus="racelies"))
    page = s.logdir / "trace.html"
    page.write_text('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>trace</title>'
                    '</head><body style="margin:0;background:#fff">'
                    '<h1 style="font:16px sans-serif">A Fable trace</h1>'
                    '<img src="trace.svg" alt="timeline"></body></html>\n')
    bar = tuple(int(t.PALETTE[0][i:i + 2], 16) for i in (1, 3, 5))
    for src, out in ((svg, s.logdir / "svg.png"), (page, s.logdir / "html.png")):
        screenshot(s, src.as_uri(), out)
        check_picture(s, out, bar)


@case(boot=False, timeout=10)
def trace_check_selftest(s):
    """The structural check finds each kind of damage in a made-up trace,
    and nothing in a sound one: a check that cannot fail proves nothing."""
    t = tool()
    meta = [{"ph": "M", "name": "process_name", "pid": 1, "tid": 1, "args": {"name": "p"}},
            {"ph": "M", "name": "thread_name", "pid": 1, "tid": 2, "args": {"name": "t"}}]
    good = meta + [
        {"ph": "X", "name": "a", "pid": 1, "tid": 2, "ts": 1, "dur": 10},
        {"ph": "X", "name": "b", "pid": 1, "tid": 2, "ts": 2, "dur": 3},
        {"ph": "s", "name": "w", "id": 1, "pid": 1, "tid": 2, "ts": 3},
        {"ph": "f", "name": "w", "id": 1, "pid": 1, "tid": 2, "ts": 4, "bp": "e"},
        {"ph": "X", "name": "c", "pid": 1, "tid": 2, "ts": 11, "dur": 1}]
    if problems := t.check_json({"traceEvents": good}):
        s.fail(f"a sound trace has problems: {problems}")
    damage = {
        "a slice that overlaps its parent": {"ph": "X", "name": "x", "pid": 1, "tid": 2,
                                             "ts": 6, "dur": 20},
        "a time before the last": {"ph": "i", "name": "x", "pid": 1, "tid": 2, "ts": 0},
        "a track without a name": {"ph": "i", "name": "x", "pid": 1, "tid": 9, "ts": 20},
        "a process without a name": {"ph": "i", "name": "x", "pid": 7, "tid": 7, "ts": 20},
        "a flow that never ends": {"ph": "s", "name": "w", "id": 2, "pid": 1, "tid": 2,
                                   "ts": 20},
        "a slice that never ends": {"ph": "B", "name": "x", "pid": 1, "tid": 2, "ts": 20},
        "a slice without a length": {"ph": "X", "name": "x", "pid": 1, "tid": 2, "ts": 20},
    }
    for what, ev in damage.items():
        # In time order: before the last slice if it starts before it.
        evs = good[:-1] + [ev, good[-1]] if ev["ts"] < good[-1]["ts"] else good + [ev]
        if not t.check_json({"traceEvents": evs}):
            s.fail(f"the check misses {what}")
