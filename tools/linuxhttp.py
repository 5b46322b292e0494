#!/usr/bin/env python3
"""Fable's web server against Linux's, on the same QEMU (docs/performance.md).

    python3 tools/linuxhttp.py [--build B] [--runs N] [--no-icount]

Linux is Debian's 32-bit kernel (linux-image-686) with busybox-static's
httpd, both fetched by `scripts/deps.sh linux-i386` into
B/third_party/linux-i386 (nothing of them is in the tree). This script
writes an initramfs (newc cpio): busybox, the kernel's e1000 module, an
/init that loads it, sets 10.0.2.15/24 on QEMU's user network and starts
httpd on /www, which holds the same 1k and 1m files as Fable's image
(httpbench.www_files). scripts/qemu boots both the same way: the e1000,
the forwarded port, one CPU, 256 MiB, plain TCG.

The wall-time rows are httpbench's (WallRuns: requests per second with
1, 8 and 32 clients, a connection each, and MiB/s of the 1 MiB file),
the two servers booted in turns, Fable, Linux, Fable, ..., N runs each,
the medians printed with their ratio and the host's load. A benchmark,
never a test: the host's other work moves every number.

Instructions per GET of 1 KiB (unless --no-icount), under -icount as
httpbench counts Fable's, busy instructions between two clocks: Debian's
686 kernel counts idle time only by its 250 Hz tick, so /init starts a
spinner (spinner(): SCHED_IDLE, it runs only when nothing else can) that
keeps the CPU from ever halting and counts its loop's turns beside the
TSC. /cgi-bin/clock reads both from the spinner's memory. What is not
the spinner's is work; the spinner's cost a turn (6 instructions and its
share of the timer's ticks) is measured over CALIBRATE seconds of nothing
else. As for Fable, one clock's own cost is taken off. The interrupts
and ticks that come while the spinner runs are work, as Fable's are
outside its idle thread, except for the ticks' share in the calibration.
Standard library only.
"""
import argparse
import lzma
import os
import re
import struct
import subprocess
import sys
import time
from pathlib import Path

import httpbench
from httpbench import CLIENTS, LARGE, SMALL

ROOT = Path(__file__).resolve().parent.parent
READY = re.compile(rb"linuxhttp: httpd ready")
APPEND = "console=ttyS0 quiet panic=-1"
CALIBRATE = 2.0     # s of the spinner alone, for its cost a turn

# The spinner: an ELF of one segment at SPIN_BASE, its own code.
#   sched_setscheduler(0, SCHED_IDLE, &zero)
#   1: rdtsc; store it at TSC; add 1 to the 64-bit TURNS; jmp 1b
# Its counters are on the page after the code's: TCG would translate
# the code again after every store to a page of it.
SPIN_BASE = 0x08048000
TSC, TURNS, ZERO = SPIN_BASE + 0x1000, SPIN_BASE + 0x1008, SPIN_BASE + 0x1010
SPIN_SIZE = 0x1014
SPIN_CODE = (b"\xb8\x9c\x00\x00\x00" + b"\x31\xdb" + b"\xb9\x05\x00\x00\x00"
             + b"\xba" + struct.pack("<I", ZERO) + b"\xcd\x80"
             + b"\x0f\x31" + b"\xa3" + struct.pack("<I", TSC)
             + b"\x89\x15" + struct.pack("<I", TSC + 4)
             + b"\x83\x05" + struct.pack("<I", TURNS) + b"\x01"
             + b"\x83\x15" + struct.pack("<I", TURNS + 4) + b"\x00"
             + b"\xeb\xe3")

INIT = """#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
insmod /e1000.ko
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
until [ "$(cat /sys/class/net/eth0/carrier)" = 1 ]; do sleep 0.1; done
if [ -n "$linuxhttp_spin" ]; then
    /spin &
    printf '#!/bin/sh\\necho\\nexec dd if=/proc/%d/mem bs=16 skip=%d count=1 2>/dev/null\\n' \\
        $! {skip} >/www/cgi-bin/clock
    chmod 755 /www/cgi-bin/clock
fi
httpd -h /www -p 80
echo "linuxhttp: httpd ready"
while :; do sleep 3600; done
"""


def spinner():
    """The spinner's ELF file."""
    ehdr = struct.pack("<4s5B7x2H5I6H", b"\x7fELF", 1, 1, 1, 0, 0, 2, 3, 1,
                       SPIN_BASE + 84, 52, 0, 0, 52, 32, 1, 0, 0, 0)
    phdr = struct.pack("<8I", 1, 0, SPIN_BASE, SPIN_BASE, SPIN_SIZE, SPIN_SIZE, 7, 0x1000)
    return (ehdr + phdr + SPIN_CODE).ljust(SPIN_SIZE, b"\0")


def cpio(entries):
    """A newc archive of entries: (name, mode, data or (major, minor))."""
    out = bytearray()
    for ino, (name, mode, data) in enumerate(entries + [("TRAILER!!!", 0, b"")], 1):
        dev = data if isinstance(data, tuple) else (0, 0)
        data = b"" if isinstance(data, tuple) else data
        name = name.encode() + b"\0"
        out += b"070701" + b"".join(b"%08x" % v for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, dev[0], dev[1], len(name), 0))
        out += name + b"\0" * (-(110 + len(name)) % 4)
        out += data + b"\0" * (-len(data) % 4)
    return bytes(out)


def fetch(build):
    """Linux's files, fetched once: (vmlinuz, the unpacked packages' root)."""
    third = Path(build) / "third_party" / "linux-i386"
    subprocess.run([str(ROOT / "scripts/deps.sh"), "linux-i386", str(third)], check=True)
    root = third / "root"
    return next((root / "boot").glob("vmlinuz-*")), root


def initramfs(root, path):
    """Write the initramfs that boots busybox's httpd to path."""
    e1000 = next((root / "lib/modules").glob("*/kernel/drivers/net/ethernet/intel/e1000/e1000.ko*"))
    module = e1000.read_bytes()
    if e1000.suffix == ".xz":
        module = lzma.decompress(module)
    dirs = ["bin", "dev", "proc", "sys", "www", "www/cgi-bin"]
    entries = [(d, 0o40755, b"") for d in dirs] + [
        ("dev/console", 0o20600, (5, 1)),
        ("dev/null", 0o20666, (1, 3)),
        ("bin/busybox", 0o100755, (root / "bin/busybox").read_bytes()),
        ("bin/sh", 0o120777, b"busybox"),
        ("init", 0o100755, INIT.replace("{skip}", str(TSC // 16)).encode()),
        ("e1000.ko", 0o100644, module),
        ("spin", 0o100755, spinner()),
    ] + [("www/" + name, 0o100644, data) for name, data in httpbench.www_files().items()]
    Path(path).write_bytes(cpio(entries))


class Linux(httpbench.Server):
    """Linux booted from the initramfs, busybox's httpd on a free port."""

    def __init__(self, vmlinuz, initrd, icount, limit=600):
        self.port = httpbench.free_port()
        append, extra = APPEND, []
        if icount:
            append += " linuxhttp_spin=1"
            extra = ["-icount", "shift=0,sleep=on", "-rtc", "base=2000-01-01T00:00:00,clock=vm"]
        argv = ["timeout", "-k", "2", str(limit), str(ROOT / "scripts/qemu"),
                "--kernel", str(vmlinuz), "--initrd", str(initrd), "--append", append,
                "--display", "headless", "--net", str(self.port),
                "--", "-serial", "stdio", *extra]
        self.boot(argv, READY)
        if icount:
            a = self.counters()
            time.sleep(CALIBRATE)
            b = self.counters()
            self.per_turn = (b[0] - a[0]) / (b[1] - a[1])

    def get(self, path, want=None, timeout=60):
        """httpbench's GET, where busybox's 408 (no request came within
        60 s on a connection it had accepted: under load, with 32 clients)
        counts as a reset, and the client tries again."""
        try:
            return super().get(path, want, timeout)
        except httpbench.StatusError as e:
            if e.status == 408:
                raise ConnectionResetError(str(e)) from None
            raise

    def counters(self):
        """(rdtsc, turns) at the spinner's last turn."""
        return struct.unpack("<QQ", self.get("/cgi-bin/clock", 16))

    def clock(self):
        """(rdtsc, the spinner's share of it)."""
        tsc, turns = self.counters()
        return tsc, turns * self.per_turn


def icount_get_1k(vmlinuz, initrd):
    """Linux's guest instructions per GET of /1k."""
    srv = Linux(vmlinuz, initrd, icount=True)
    try:
        for _ in range(httpbench.WARM):
            srv.get("/1k", SMALL)
        return httpbench.per_get(srv, "/1k", SMALL, httpbench.GETS_SMALL)
    finally:
        srv.stop()


def table(fable, linux, runs, loads):
    """The rows: Fable, Linux, Fable / Linux; loads: the host's load
    averages before and after the wall-time runs."""
    rows = [("", "Fable", "Linux", "Fable/Linux")]
    for n in CLIENTS:
        f, li = fable["rps"][n], linux["rps"][n]
        rows.append((f"GET 1 KiB, {n} client{'s' * (n > 1)}, requests/s",
                     f"{f:,.1f}", f"{li:,.1f}", f"{f / li:.2f}"))
    f, li = fable["mib_s"], linux["mib_s"]
    rows.append(("GET 1 MiB, 1 client, MiB/s", f"{f:,.2f}", f"{li:,.2f}", f"{f / li:.2f}"))
    if "insns" in fable:
        f, li = fable["insns"], linux["insns"]
        rows.append(("GET 1 KiB, guest instructions (icount)", f"{f:,.0f}", f"{li:,.0f}",
                     f"{f / li:.2f}"))
    w = max(len(r[0]) for r in rows)
    before, after = (" ".join(f"{x:.2f}" for x in load) for load in loads)
    print(f"wall time: median of {runs} runs each, taking turns; host load averages "
          f"(1, 5, 15 min) {before} before, {after} after, {os.cpu_count()} CPUs")
    for r in rows:
        print(f"{r[0]:<{w}}  {r[1]:>12}  {r[2]:>12}  {r[3]:>11}")
    print("resets (Linux: and 408s; all runs, 1/8/32 clients): Fable "
          f"{'/'.join(str(fable['resets'][n]) for n in CLIENTS)}, Linux "
          f"{'/'.join(str(linux['resets'][n]) for n in CLIENTS)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", type=Path, default=ROOT / "build")
    ap.add_argument("--runs", type=int, default=httpbench.WALL_RUNS)
    ap.add_argument("--no-icount", action="store_true")
    a = ap.parse_args()
    vmlinuz, root = fetch(a.build)
    initrd = a.build / "linuxhttp-initramfs.cpio"
    initramfs(root, initrd)
    img = a.build / "linuxhttp-www.img"
    httpbench.make_image(img)
    try:
        fable, linux = {}, {}
        if not a.no_icount:
            fable["insns"] = httpbench.icount_rows(a.build)["http_get_1k"]
            linux["insns"] = icount_get_1k(vmlinuz, initrd)
            print(f"instructions per GET of 1 KiB: Fable {fable['insns']:,.0f}, "
                  f"Linux {linux['insns']:,.0f}", file=sys.stderr)
        load = os.getloadavg()
        fw, lw = httpbench.WallRuns(), httpbench.WallRuns()
        for i in range(a.runs):
            print(f"run {i + 1} of {a.runs}: Fable, Linux", file=sys.stderr)
            fw.run(httpbench.Server(a.build, img, icount=False))
            lw.run(Linux(vmlinuz, initrd, icount=False))
        table(dict(fable, **fw.medians()), dict(linux, **lw.medians()), a.runs,
              (load, os.getloadavg()))
    except httpbench.HttpBenchError as e:
        sys.exit(f"linuxhttp: {e}")
    finally:
        img.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
