"""The web server's benchmarks, for tools/bench.py (docs/performance.md).

The guest runs user/bin/httpd on a fresh ext2 image holding /www/1k and
/www/1m; the host is the client, through QEMU's forwarded port.

Instructions per GET (icount_rows): under -icount shift=0,sleep=on the
guest's rdtsc counts its instructions, and httpd's /stats.json gives the
time stamp counter and the idle thread's share of it (kstat) at the
moment it answers. The busy instructions between two such answers, less
one /stats.json's own, divided by the GETs between them, is the cost of a
GET: a connection each (as a browser's first request, or busybox httpd,
which closes every connection), the server's thread, the file from the
disk's cache, the close. Timers (lwIP's, the tick) that run meanwhile are
counted too.

Requests per second (wall_rows): plain TCG, clients on the host's
threads, a connection per request; the median of WALL_RUNS runs and the
host's load average printed beside them, since both the guest's CPU and
the clients share the host's. A benchmark, never a test. With more
clients than lwIP has pcbs (8, lwipopts.h) the SYNs it has no pcb for
are dropped, and QEMU's user network sends them again only seconds
later: the 32-client row shows that limit.
"""
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL, LARGE = 1024, 1 << 20
GETS_SMALL = 40         # GETs of /1k measured under icount
GETS_LARGE = 4          # GETs of /1m
WARM = 8                # GETs first, to fill the caches
WALL_RUNS = 5
WALL_SECONDS = 4.0      # each client count's run
CLIENTS = [1, 8, 32]
CLIENT_WAIT = 180       # s: a SYN lwIP had no pcb for waits for QEMU's retries
LISTENING = re.compile(rb"httpd: serving \S+ on port \d+")

OPS = [  # (key, label, target): instructions per GET
    ("http_get_1k", "HTTP GET of a 1 KiB file, a connection each", 150_000),
    ("http_get_1m", "HTTP GET of a 1 MiB file, a connection each", None),
]
LINUX = {"http_get_1k": 600_000}   # Linux 6.1 + busybox httpd (the figure)


class HttpBenchError(Exception):
    """The server or its answers were not as expected."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_image(path):
    """A fresh ext2 image: /www/1k and /www/1m, the same bytes every run."""
    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as stage:
        www = Path(stage, "www")
        www.mkdir()
        (www / "1k").write_bytes(rng.randbytes(SMALL))
        (www / "1m").write_bytes(rng.randbytes(LARGE))
        p = subprocess.run([sys.executable, str(ROOT / "tools/mkdisk.py"), "-o", str(path),
                            "--mib", "8", "--block", "4096", stage],
                           capture_output=True, text=True)
        if p.returncode:
            raise HttpBenchError(f"mkdisk failed: {p.stderr.strip() or p.stdout.strip()}")


class Server:
    """Fable booted with httpd serving the image's /www on a free port."""

    def __init__(self, build, img, icount, limit=600):
        self.port = free_port()
        extra = ["-drive", f"file={img},format=raw,if=ide,index=0,cache=unsafe"]
        if icount:
            extra = ["-icount", "shift=0,sleep=on",
                     "-rtc", "base=2000-01-01T00:00:00,clock=vm", *extra]
        argv = ["timeout", "-k", "2", str(limit), str(ROOT / "scripts/qemu"),
                "--kernel", str(Path(build) / "fable.elf"),
                "--append", "panic=poweroff netstatic -- httpd -c 8 /www",
                "--display", "headless", "--net", str(self.port),
                "--", "-serial", "stdio", *extra]
        self.p = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        self.out = b""
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        deadline = time.monotonic() + 120
        while not LISTENING.search(self.out):
            if self.p.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise HttpBenchError("httpd did not start; last output:\n" + self.tail())
            time.sleep(0.1)

    def _read(self):
        while chunk := os.read(self.p.stdout.fileno(), 4096):
            self.out += chunk

    def tail(self):
        return "\n".join(self.out.decode(errors="replace").splitlines()[-5:])

    def get(self, path, want=None, timeout=60):
        """One GET on a connection of its own: the body."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request("GET", path, headers={"Connection": "close"})
            r = c.getresponse()
            body = r.read()
        finally:
            c.close()
        if r.status != 200 or (want is not None and len(body) != want):
            raise HttpBenchError(f"GET {path}: {r.status}, {len(body)} bytes")
        return body

    def clock(self):
        """(rdtsc, the idle thread's share of it) as httpd answered."""
        v = {k: int(n) for k, n in re.findall(rb'"(\w+)": (\d+)', self.get("/stats.json"))}
        return ((v[b"tsc_hi"] << 32 | v[b"tsc_lo"]),
                (v[b"idle_tsc_hi"] << 32 | v[b"idle_tsc_lo"]))

    def stop(self):
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGKILL)
        self.p.wait()


def busy(a, b):
    """Instructions the guest ran, not idle, between clocks a and b."""
    return (b[0] - a[0]) - (b[1] - a[1])


def per_get(srv, path, size, n):
    """Busy instructions per GET of path, the cost of a clock left out."""
    a, b = srv.clock(), srv.clock()
    one_clock = busy(a, b)
    c = srv.clock()
    for _ in range(n):
        srv.get(path, size)
    d = srv.clock()
    return (busy(c, d) - one_clock) / n


def icount_rows(build, log=None):
    """{key: guest instructions per GET}."""
    with tempfile.TemporaryDirectory() as tmp:
        img = Path(tmp) / "www.img"
        make_image(img)
        srv = Server(build, img, icount=True)
        try:
            for _ in range(WARM):
                srv.get("/1k", SMALL)
            srv.get("/1m", LARGE)
            return {"http_get_1k": per_get(srv, "/1k", SMALL, GETS_SMALL),
                    "http_get_1m": per_get(srv, "/1m", LARGE, GETS_LARGE)}
        finally:
            srv.stop()
            if log:
                Path(log).write_bytes(srv.out)


def hammer(srv, path, size, clients, seconds):
    """clients threads GETting path for seconds: (requests per second,
    connections reset). A reset is the server's stack refusing a
    connection it has no room for (a full backlog, or a half-open
    connection evicted by a newer one: docs/network.md), and the client
    tries again, as a browser would."""
    done, resets, errors = [0] * clients, [0] * clients, []
    end = time.monotonic() + seconds

    def client(i):
        try:
            while time.monotonic() < end:
                try:
                    srv.get(path, size, timeout=CLIENT_WAIT)
                    done[i] += 1
                except (ConnectionResetError, http.client.RemoteDisconnected):
                    resets[i] += 1
        except (OSError, HttpBenchError) as e:
            errors.append(repr(e))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise HttpBenchError(f"{len(errors)} clients failed: {errors[0]}")
    return sum(done) / (time.monotonic() - start), sum(resets)


def wall_rows(build):
    """{"rps": {clients: requests per second}, "resets": {clients: all
    runs' resets}, "mib_s": ..., "host_load"}: medians of WALL_RUNS boots
    under plain TCG."""
    load = os.getloadavg()[0]
    rps = {n: [] for n in CLIENTS}
    resets = {n: 0 for n in CLIENTS}
    mib = []
    with tempfile.TemporaryDirectory() as tmp:
        img = Path(tmp) / "www.img"
        make_image(img)
        for _ in range(WALL_RUNS):
            srv = Server(build, img, icount=False)
            try:
                for _ in range(WARM):
                    srv.get("/1k", SMALL)
                for n in CLIENTS:
                    r, lost = hammer(srv, "/1k", SMALL, n, WALL_SECONDS)
                    rps[n].append(r)
                    resets[n] += lost
                mib.append(hammer(srv, "/1m", LARGE, 1, WALL_SECONDS)[0] * LARGE / (1 << 20))
            finally:
                srv.stop()
    return {"rps": {n: statistics.median(v) for n, v in rps.items()}, "resets": resets,
            "mib_s": statistics.median(mib), "host_load": round(load, 2)}
