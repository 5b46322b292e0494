#!/usr/bin/env python3
"""tools/hangwatch.py: boot a test program again and again until one run
hangs, then show what every CPU and thread was doing (docs/testing.md,
"When a test hangs").

    python3 tools/hangwatch.py --smp 2 --mem 1024 --timeout 150 --runs 30 -j 2 \\
        'fuzz calls=60000 tasks=4 workers=8 seed=2'

Each run boots BUILD/fable.elf with the line under leakcheck, as the
runner's boot_test does, its serial output in BUILD/hangwatch/N.log and
QEMU's gdb stub on a free port. A run that powers off with status 33
passed; another status is a failure (the log's last lines are shown); a
run still going after TIMEOUT seconds is stopped under gdb, and
tools/gdb/threads.py writes its CPUs and threads to BUILD/hangwatch/N.dump.
It stops at the first hang or failure unless --keep-going.

With --expect REGEX a run passes as soon as its serial log matches
REGEX (QEMU is then stopped), and --raw boots the line as the whole
command line after "--" (no leakcheck); --net gives the machine its
e1000 on QEMU's user network (scripts/qemu --net), and --socket sends
the serial line through a socket read as the runner reads it:

    python3 tools/hangwatch.py --smp 2 --net --raw --kargs netstatic \
        --expect "net: address" --timeout 20 shell
"""
import argparse
import itertools
import pathlib
import re
import socket
import subprocess
import threading
import sys
import time
import concurrent.futures as futures

ROOT = pathlib.Path(__file__).resolve().parent.parent
PASS = 33


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dump(elf, port, out):
    """Stop the guest through its gdb stub and write threads.py's report."""
    cmd = ["gdb", "-q", "-batch", "-nx", str(elf),
           "-ex", f"target remote 127.0.0.1:{port}",
           "-ex", f"source {ROOT / 'tools/gdb/threads.py'}"]
    with open(out, "w") as f:
        subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, timeout=120)


def copy_serial(listener, log):
    """QEMU's serial connection into log, read as the runner reads it:
    from a socket, a buffer at a time, so that a reader that falls
    behind holds the UART back."""
    conn, _ = listener.accept()
    listener.close()
    with conn, open(log, "ab") as f:
        while data := conn.recv(4096):
            f.write(data)
            f.flush()


def wait(qemu, log, args):
    """QEMU's exit status, or PASS once the log matches --expect (QEMU
    stopped); TimeoutExpired after --timeout seconds."""
    if not args.expect:
        return qemu.wait(args.timeout)
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if re.search(args.expect, log.read_text(errors="replace")):
            qemu.kill()
            qemu.wait()
            return PASS
        if qemu.poll() is not None:
            return qemu.returncode
        time.sleep(0.2)
    raise subprocess.TimeoutExpired(qemu.args, args.timeout)


def one(args, n):
    """Run n: 'pass', 'fail' or 'hang'."""
    out = args.build / "hangwatch"
    log, port = out / f"{n}.log", free_port()
    program = args.line if args.raw else f"leakcheck -p {args.line}"
    argv = [str(ROOT / "scripts/qemu"), "--kernel", str(args.build / "fable.elf"),
            "--mem", str(args.mem), "--smp", str(args.smp), "--display", "headless",
            "--append", " ".join(w for w in ("panic=poweroff", args.kargs, "--", program) if w)]
    if args.net:
        argv += ["--net", str(free_port())]
    log.touch()
    listener = None
    if args.socket:
        path = out / f"{n}.sock"
        path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(path))
        listener.listen(1)
        argv += ["--", "-serial", f"unix:{path}", "-gdb", f"tcp:127.0.0.1:{port}"]
    else:
        argv += ["--", "-serial", f"file:{log}", "-gdb", f"tcp:127.0.0.1:{port}"]
    qemu = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if listener:
        threading.Thread(target=copy_serial, args=(listener, log), daemon=True).start()
    start = time.monotonic()
    try:
        status = wait(qemu, log, args)
    except subprocess.TimeoutExpired:
        dump(args.build / "fable.elf", port, out / f"{n}.dump")
        qemu.kill()
        qemu.wait()
        print(f"run {n}: hung after {args.timeout} s; {out / f'{n}.dump'}, {log}", flush=True)
        return "hang"
    took = time.monotonic() - start
    if status == PASS:
        print(f"run {n}: pass in {took:.0f} s", flush=True)
        log.unlink()
        return "pass"
    tail = log.read_text(errors="replace").splitlines()[-15:]
    print(f"run {n}: status {status} after {took:.0f} s; {log}:", *tail, sep="\n    ", flush=True)
    return "fail"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("line", help="the test program and its arguments")
    p.add_argument("--build", type=pathlib.Path, default=ROOT / "build")
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--mem", type=int, default=256)
    p.add_argument("--kargs", default="", help="kernel options before the program")
    p.add_argument("--raw", action="store_true", help="boot the line itself, not under leakcheck")
    p.add_argument("--net", action="store_true", help="an e1000 on QEMU's user network")
    p.add_argument("--expect", help="pass once the serial log matches this")
    p.add_argument("--socket", action="store_true",
                   help="the serial line through a socket, as the runner has it, not a file")
    p.add_argument("--timeout", type=int, default=120)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("-j", "--jobs", type=int, default=1)
    p.add_argument("--keep-going", action="store_true")
    args = p.parse_args()
    (args.build / "hangwatch").mkdir(parents=True, exist_ok=True)
    verdicts = []
    todo = iter(range(1, args.runs + 1))
    with futures.ThreadPoolExecutor(args.jobs) as pool:
        running = {pool.submit(one, args, n) for n in itertools.islice(todo, args.jobs)}
        while running:
            done, running = futures.wait(running, return_when=futures.FIRST_COMPLETED)
            verdicts += [f.result() for f in done]
            if not args.keep_going and any(v != "pass" for v in verdicts):
                continue
            for n in todo:
                running.add(pool.submit(one, args, n))
                if len(running) == args.jobs:
                    break
    print(f"hangwatch: {verdicts.count('pass')} passed, {verdicts.count('fail')} failed, "
          f"{verdicts.count('hang')} hung")
    return 0 if all(v == "pass" for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
