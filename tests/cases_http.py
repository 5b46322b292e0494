"""Scripted tests of the web server, user/bin/httpd.c (docs/network.md,
"The web server"): the machine boots with the disk `make disk` builds
(the book in /doc) and an e1000 on QEMU's user network, and the host is
httpd's client through the forwarded port: urllib and http.client for
what a browser does, raw sockets for what a hostile client does.

From the shell, httpd first serves every file and directory of the book
once and stops (-n N: after N connections), which fills the block
cache: its buffers come from the kernel heap the first time each is
used, and that growth is no leak. Then the test runs under leakcheck,
with -n counting the test's own connections, so that httpd ends and
leakcheck can say whether anything was left behind."""
import http.client
import json
import os
import random
import re
import socket
import threading
import time
import urllib.request

from tests.cases_mount import make_disk
from tests.cases_net import free_port
from tests.cases_shell import PROMPT, command, start
from tests.cases_trace import png_pixels, screenshot
from tests.runner import case

SERVING = r"httpd: serving /doc on port 80, (\d+) connections at once"


def serve(s, conns, args="", add=None):
    """make disk (with the files of add), boot to the shell, warm the
    block cache, then start httpd under leakcheck to stop after conns
    connections; the host's port."""
    img = make_disk(s, add=add)
    port = free_port()
    s.boot("netstatic", disk=img, net=port)
    start(s)
    s.type_keys(f"httpd -n 1 {args}\n")
    s.wait_for(SERVING, timeout=30)
    # One connection that the host closes: the guest's side then leaves no
    # pcb in TIME-WAIT holding port 80, which the next bind would find.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    for path in list(book(s)) + ["/", "/abi/", "/img/", "/evil/", "/link.md", "/nothing"]:
        conn.request("GET", path)
        conn.getresponse().read()
    conn.close()
    s.wait_for(re.escape(PROMPT), timeout=30)
    s.type_keys(f"leakcheck httpd -n {conns} {args}\n")
    s.wait_for(SERVING, timeout=30)
    return port


def finish(s):
    """httpd stopped after its connections, and leakcheck found the
    kernel's counters where they were before it."""
    m = s.wait_for(r"LEAKCHECK (PASS|FAIL) httpd.*", timeout=30)
    if m.group(1) != "PASS":
        s.fail(m.group(0))
    s.expect_no_leak("httpd")


def book(s):
    """{URL path: host file} of every file of the tree's docs/."""
    top = s.cfg.root / "docs"
    return {"/" + str(f.relative_to(top)): f for f in sorted(top.rglob("*")) if f.is_file()}


def want_type(path):
    ext = os.path.splitext(path)[1]
    return {".md": "text/markdown; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml",
            ".txt": "text/plain; charset=utf-8", ".html": "text/html; charset=utf-8"}.get(
                ext, "application/octet-stream")


def raw(port, data, timeout=15, shut=True):
    """Send data on a new connection (then end our side unless not shut)
    and read until the server closes: what came, b"" after a reset."""
    got = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sk:
        sk.settimeout(timeout)
        try:
            sk.sendall(data)
            if shut:
                sk.shutdown(socket.SHUT_WR)
            while True:
                chunk = sk.recv(65536)
                if not chunk:
                    break
                got += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass
    return got


def status(resp):
    m = re.match(rb"HTTP/1\.1 (\d{3}) ", resp)
    return int(m.group(1)) if m else None


def logged(s, mark, pattern, count):
    """The access-log lines after serial offset mark that pattern matches,
    waiting up to 10 s for count of them (a line is printed just after
    its answer is sent)."""
    end = time.monotonic() + 10
    while True:
        found = list(re.finditer(rf"^{pattern}$", s.serial[mark:], re.M))
        if len(found) >= count or time.monotonic() > end:
            return found
        time.sleep(0.2)


def stats(port):
    """/stats.json, as a dict."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats.json", timeout=20) as r:
        return json.loads(r.read())


@case(boot=False, timeout=150)
def http_book(s):
    """Every file of docs/ fetched with urllib from /doc on the disk is
    byte for byte the tree's file, with its Content-Type and
    Content-Length; one http.client connection carries several requests
    (the guest's log shows one peer port for them all): the listing of
    /, a redirect of /abi to /abi/, its listing, HEAD (headers, no
    body) and GETs; HTTP/1.0, and HTTP/1.1 with Connection: close, close
    after one answer; HTTP/1.0 with Connection: keep-alive keeps it."""
    files = book(s)
    port = serve(s, len(files) + 4)
    mark = len(s.serial)
    for path, f in files.items():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=20) as r:
            body = r.read()
            if r.status != 200 or body != f.read_bytes():
                s.fail(f"{path}: status {r.status}, {len(body)} bytes unlike the tree's file")
            if r.headers["Content-Type"] != want_type(path):
                s.fail(f"{path}: Content-Type {r.headers['Content-Type']}")
            if r.headers["Content-Length"] != str(len(body)):
                s.fail(f"{path}: Content-Length {r.headers['Content-Length']}, {len(body)} bytes")
    logged(s, mark, r"httpd: .* GET .*", len(files))
    keep_alive(s, port, files)
    # HTTP/1.0 without keep-alive, and Connection: close: one answer,
    # then the server ends the connection (raw() reads to the end).
    readme = files["/README.md"].read_bytes()
    for req in (b"GET /README.md HTTP/1.0\r\n\r\n",
                b"GET /README.md HTTP/1.1\r\nHost: f\r\nConnection: close\r\n\r\n"):
        got = raw(port, req, shut=False)
        if status(got) != 200 or not got.endswith(b"\r\n\r\n" + readme):
            s.fail(f"{req!r}: {got[:80]!r}... ({len(got)} bytes)")
    # HTTP/1.0 asking for keep-alive: the connection stays for the next.
    abi = files["/abi.md"].read_bytes()
    got = raw(port, b"GET /README.md HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"
              b"GET /abi.md HTTP/1.0\r\n\r\n", shut=False)
    first = b"Content-Length: %d\r\nConnection: keep-alive\r\n\r\n" % len(readme) + readme
    if first not in got or not got.endswith(b"Connection: close\r\n\r\n" + abi):
        s.fail(f"HTTP/1.0 with keep-alive, then without: {got[:200]!r}... ({len(got)} bytes)")
    finish(s)


def keep_alive(s, port, files):
    """Several requests on one http.client connection."""
    mark = len(s.serial)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    def get(method, path):
        conn.request(method, path)
        r = conn.getresponse()
        return r, r.read()
    r, body = get("GET", "/")
    for name in ("README.md", "abi/", "img/", "network.md"):
        if f'<a href="{name}">{name}</a>'.encode() not in body:
            s.fail(f"the listing of / has no link to {name}: {body[:200]!r}")
    r, body = get("GET", "/abi")
    if r.status != 301 or r.headers["Location"] != "/abi/":
        s.fail(f"/abi: {r.status}, Location {r.headers['Location']}")
    r, body = get("GET", "/abi/")
    if r.status != 200 or b'<a href="fable.md">fable.md</a>' not in body:
        s.fail(f"/abi/: {r.status} {body[:200]!r}")
    r, body = get("HEAD", "/img/boot.png")
    if r.status != 200 or body or r.headers["Content-Length"] != str(files["/img/boot.png"].stat().st_size) \
            or r.headers["Content-Type"] != "image/png":
        s.fail(f"HEAD /img/boot.png: {r.status} {dict(r.headers)} {len(body)} bytes")
    for path in ("/network.md", "/img/trace-fork.svg", "/abi/fable.md"):
        r, body = get("GET", path)
        if r.status != 200 or body != files[path].read_bytes():
            s.fail(f"{path} on the kept connection: {r.status}, {len(body)} bytes")
    conn.close()
    lines = logged(s, mark, r"httpd: 10\.0\.2\.2:(\d+) (GET|HEAD) \S+ \d+ \d+", 7)
    if len(lines) != 7 or len({m.group(1) for m in lines}) != 1:
        s.fail(f"the seven requests did not share one connection: {[m.group(0) for m in lines]}")


# Requests that must be refused, and the status each gets. None of them
# may be answered with a file from outside /doc.
HOST = b"Host: fable\r\nConnection: close\r\n\r\n"
REFUSED = [
    (b"GET /../../etc HTTP/1.1\r\n" + HOST, 400),
    (b"GET /abi/../../bin/shell HTTP/1.1\r\n" + HOST, 400),
    (b"GET /%2e%2e/%2e%2e/bin/shell HTTP/1.1\r\n" + HOST, 400),
    (b"GET /%2E%2E%2fbin%2fshell HTTP/1.1\r\n" + HOST, 400),
    (b"GET /..%2f..%2fbin/shell HTTP/1.1\r\n" + HOST, 400),
    (b"GET http://fable/../bin/shell HTTP/1.1\r\n" + HOST, 400),
    (b"GET //bin/shell HTTP/1.1\r\n" + HOST, 404),
    (b"GET ///tests// HTTP/1.1\r\n" + HOST, 404),
    (b"GET /README.md%00.png HTTP/1.1\r\n" + HOST, 400),
    (b"GET /README.md\0 HTTP/1.1\r\n" + HOST, 400),
    (b"GET bin/shell HTTP/1.1\r\n" + HOST, 400),
    (b"GET /evil/shell HTTP/1.1\r\n" + HOST, 403),          # a symbolic link to /bin
    (b"GET /link.md HTTP/1.1\r\n" + HOST, 403),             # one to README.md
    (b"GET /%zz HTTP/1.1\r\n" + HOST, 400),
    (b"GET /a% HTTP/1.1\r\n" + HOST, 400),
    (b"GET /nothing.md HTTP/1.1\r\n" + HOST, 404),
    (b"POST /README.md HTTP/1.1\r\nContent-Length: 3\r\n" + HOST + b"abc", 405),
    (b"DELETE / HTTP/1.1\r\n" + HOST, 405),
    (b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 400),     # no Host
    (b"GET /\r\n\r\n", 400),                                     # no version
    (b"GET  / HTTP/1.1\r\n" + HOST, 400),
    (b"GET / HTTP/1.1 x\r\n" + HOST, 400),
    (b"GET / HTTP/2.0\r\n" + HOST, 505),
    (b"GET / HTTP/1.1\r\nNo colon here\r\n" + HOST, 400),
    (b"GET / HTTP/1.1\r\nX-A: a\r\n folded\r\n" + HOST, 400),
    (b"GET / HTTP/1.1\r\nContent-Length: 12x\r\n" + HOST, 400),
    (b"GET / HTTP/1.1\r\nContent-Length: 99999\r\n" + HOST, 413),
    (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: %s\r\n" % (i, b"a" * 100) for i in range(90)) + HOST, 413),
    (b"GET /" + b"a" * 3000 + b" HTTP/1.1\r\n" + HOST, 414),
    (b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" + HOST, 501),
]


@case(boot=False, timeout=150)
def http_errors(s):
    """Each refused request gets its status (400 for malformed request
    lines and headers, bad escapes, NUL, and a path climbing out of the
    root by /../ or %2e%2e; 404; 405 with Allow; 413 for a body or
    headers too large; 414; 403 for symbolic links, which could lead
    out); nothing from outside /doc is ever served; a request with a
    body and one sent after it on the same connection are both answered;
    /abi/../README.md is README.md."""
    tmp = s.logdir / "add"
    (tmp / "doc").mkdir(parents=True, exist_ok=True)
    for name, target in (("evil", "/bin"), ("link.md", "README.md")):
        if not (tmp / "doc" / name).is_symlink():
            os.symlink(target, tmp / "doc" / name)
    port = serve(s, len(REFUSED) + 2, add=tmp)
    for req, want in REFUSED:
        got = raw(port, req)
        if status(got) != want:
            s.fail(f"{req[:60]!r}: {got[:60]!r}, not {want}")
        if b"ELF" in got or b"shell" in got.split(b"\r\n\r\n", 1)[-1]:
            s.fail(f"{req[:60]!r} served something from outside /doc: {got[:200]!r}")
        if want == 405 and b"\r\nAllow: GET, HEAD\r\n" not in got:
            s.fail(f"{req[:60]!r}: 405 without Allow: {got[:200]!r}")
    readme = (s.cfg.root / "docs/README.md").read_bytes()
    got = raw(port, b"GET /abi/../README.md HTTP/1.1\r\n" + HOST)
    if status(got) != 200 or not got.endswith(readme):
        s.fail(f"/abi/../README.md: {got[:80]!r}")
    two = raw(port, b"GET /abi.md HTTP/1.1\r\nHost: f\r\nContent-Length: 5\r\n\r\nhello"
              b"GET /README.md HTTP/1.1\r\n" + HOST)
    if len(re.findall(rb"HTTP/1\.1 200 OK", two)) != 2 or not two.endswith(readme):
        s.fail(f"a request with a body, then another: {two[:120]!r}... ({len(two)} bytes)")
    finish(s)


def fetch_timed(port, path, results):
    """GET path on a new connection: (status, seconds) into results."""
    t = time.monotonic()
    try:
        got = raw(port, f"GET {path} HTTP/1.1\r\nHost: f\r\nConnection: close\r\n\r\n".encode(), 30)
        results.append((status(got), time.monotonic() - t))
    except OSError as e:
        results.append((repr(e), time.monotonic() - t))


class Slow(threading.Thread):
    """A client that sends its request one byte a second: what it got back
    and how long it was connected, once the server dropped it."""
    def __init__(self, port):
        super().__init__()
        self.port, self.got, self.secs = port, None, None

    def run(self):
        req = b"GET /README.md HTTP/1.1\r\nHost: fable\r\n\r\n"
        t = time.monotonic()
        with socket.create_connection(("127.0.0.1", self.port), timeout=60) as sk:
            sk.settimeout(1)
            got = b""
            for byte in req:
                try:
                    sk.sendall(bytes([byte]))
                    chunk = sk.recv(4096)
                    if not chunk:
                        break
                    got += chunk
                except socket.timeout:
                    continue
                except OSError:
                    break
            self.got, self.secs = got, time.monotonic() - t


@case(boot=False, timeout=150)
def http_hostile(s):
    """With room for 4 connections: requests of random bytes (six seeds),
    a 20,000-byte line and a flood of header lines get 4xx answers or an
    end, never a hang; a client sending one byte a second is dropped
    after the 5-second head timeout (408) while three others are served
    at once; six silent connections, more than the cap, are all dropped
    in time, and a request made behind them is served; afterwards the
    counters /stats.json shows (tasks, threads, open files) are back, and
    leakcheck finds nothing left once httpd ends."""
    seeds = range(6)
    conns = 1 + len(seeds) + 2 + 1 + 3 + 6 + 1 + 1
    port = serve(s, conns, "-c 4")
    before = stats(port)
    for seed in seeds:
        rng = random.Random(seed)
        junk = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 6000)))
        got = raw(port, junk)
        if got and status(got) not in (400, 405, 408, 413, 414, 501, 505):
            s.fail(f"random bytes (seed {seed}): {got[:80]!r}")
    for junk, want in ((b"A" * 20000, 414), (b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 3000, 413)):
        got = raw(port, junk)
        if status(got) != want:
            s.fail(f"{junk[:20]!r}... ({len(junk)} bytes): {got[:80]!r}, not {want}")
    slow = Slow(port)
    slow.start()
    time.sleep(1)
    results = []
    for path in ("/README.md", "/abi/", "/img/boot.png"):
        fetch_timed(port, path, results)
    slow.join()
    if any(r[0] != 200 or r[1] > 3 for r in results):
        s.fail(f"others were not served promptly beside the slow client: {results}")
    if slow.secs is None or not 4 <= slow.secs <= 15 or status(slow.got or b"") != 408:
        s.fail(f"the slow client: {slow.got!r} after {slow.secs} s, not 408 after 5 s")
    over_the_cap(s, port)
    time.sleep(2)   # the last threads leave their linger
    after = stats(port)
    keys = ("threads", "open_files", "tasks")   # the heap: leakcheck, below
    if any(after[k] != before[k] for k in keys):
        s.fail(f"before the hostile clients {[before[k] for k in keys]}, after {[after[k] for k in keys]}: {before} {after}")
    finish(s)


def over_the_cap(s, port):
    """Six silent connections with room for four: each is dropped after
    the head timeout (the last two once a thread is free), and a request
    made behind them is answered."""
    idle = [socket.create_connection(("127.0.0.1", port), timeout=40) for _ in range(6)]
    try:
        time.sleep(0.5)
        results = []
        fetch_timed(port, "/README.md", results)
        if results[0][0] != 200:
            s.fail(f"a request behind six silent connections: {results}")
        for sk in idle:
            sk.settimeout(30)
            try:
                if sk.recv(16):
                    s.fail("a silent connection got an answer")
            except ConnectionResetError:
                pass
            except socket.timeout:
                s.fail("a silent connection was never dropped")
    finally:
        for sk in idle:
            sk.close()


@case(boot=False, timeout=90)
def http_stats(s):
    """/stats is an HTML page that refreshes itself every 2 seconds and
    shows the kernel's counters (tasks, threads, frames, heap, the idle
    share, files, the card's packets); /stats.json has the same, and they
    make sense: four tasks at least (init, the shell, leakcheck, httpd), free frames below the
    total, packets received, this server's own connections."""
    port = serve(s, 2)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=20) as r:
        page = r.read().decode()
        if r.headers["Content-Type"] != "text/html; charset=utf-8":
            s.fail(f"/stats: {r.headers['Content-Type']}")
    if '<meta http-equiv="refresh" content="2">' not in page:
        s.fail("/stats does not refresh itself")
    for name in ("tasks", "threads", "free_frames", "total_frames", "kernel_heap_bytes",
                 "idle_permille", "open_files", "net_rx_packets", "net_tx_packets",
                 "net_rx_bytes", "net_drops", "net_errors", "httpd_connections"):
        if not re.search(rf"<td>{name}</td><td align=\"right\">\d+</td>", page):
            s.fail(f"/stats has no row {name}")
    if not re.search(r"the CPU idle \d+\.\d%", page):
        s.fail("/stats does not give the idle share")
    k = stats(port)
    if k["tasks"] < 4 or k["threads"] < 3 or not 0 < k["free_frames"] < k["total_frames"] \
            or k["net_rx_packets"] < 5 or k["net_tx_packets"] < 5 or k["httpd_connections"] != 2 \
            or k["httpd_active"] != 1 or k["open_files"] < 2 or not 0 <= k["idle_permille"] <= 1000:
        s.fail(f"/stats.json: {k}")
    finish(s)


RESET_TRIES = 5


def get(conn, path, resets):
    """GET path on conn; a connection the server's stack reset in its
    handshake (a half-open connection evicted when lwIP's pcbs are full:
    docs/network.md, "Sockets") is tried again, as a browser would, and
    counted in resets."""
    for _ in range(RESET_TRIES):
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            return r, r.read()
        except (ConnectionResetError, http.client.RemoteDisconnected):
            resets.append(path)
            conn.close()
    raise ConnectionResetError(f"{path}: reset {RESET_TRIES} times")


def client(port, files, seed, count, errors, timeout=30, resets=None):
    """count GETs of random files of the book on one kept connection (a
    new one whenever the server closes it), each compared byte for byte;
    what went wrong into errors."""
    rng = random.Random(seed)
    paths = sorted(files)
    resets = [] if resets is None else resets
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        for _ in range(count):
            path = rng.choice(paths)
            r, body = get(conn, path, resets)
            if r.status != 200 or body != files[path]:
                errors.append(f"client {seed}: {path}: {r.status}, {len(body)} bytes")
                return
        conn.close()
    except (OSError, http.client.HTTPException) as e:
        errors.append(f"client {seed}: {e!r}")


def load(s, nclients, count, timeout=30):
    """nclients clients at once, each with count GETs of random files of
    the book (a new connection after every 100 answers, when the server
    closes it): every answer byte for byte right, and logged; then
    leakcheck's verdict."""
    files = {p: f.read_bytes() for p, f in book(s).items()}
    conns = nclients * ((count + 99) // 100)
    port = serve(s, conns)
    mark = len(s.serial)
    errors, resets = [], []
    t0 = time.monotonic()
    clients = [threading.Thread(target=client, args=(port, files, i, count, errors, timeout, resets))
               for i in range(nclients)]
    for t in clients:
        t.start()
    for t in clients:
        t.join()
    if errors:
        s.fail("; ".join(errors[:4]))
    total = nclients * count
    if len(resets) > conns // 2:        # about one in eight, under load
        s.fail(f"{len(resets)} handshakes reset for {conns} connections")
    served = len(logged(s, mark, r"httpd: 10\.0\.2\.2:\d+ GET \S+ 200 \d+", total))
    if served != total:
        s.fail(f"the log shows {served} answers of {total}")
    with open(s.logdir / "load.log", "w") as f:
        f.write(f"{total} requests on {conns} connections in {time.monotonic() - t0:.1f} s, "
                f"{len(resets)} handshakes reset and tried again\n")
    finish(s)


@case(boot=False, timeout=180)
def http_load(s):
    """Eight clients at once, each with 50 GETs of random files of the
    book on one kept connection: every answer byte for byte right, none
    failed; afterwards leakcheck finds the kernel's counters back."""
    load(s, 8, 50)


@case(boot=False, timeout=240, once=True)
def http_load_many(s):
    """32 clients at once, each with 500 GETs on kept connections: four
    times more clients than the server takes at once (the rest wait for
    a free thread, which each gets as the server closes a connection
    after 100 answers), 16,000 answers, every one byte for byte right;
    afterwards leakcheck finds the kernel's counters back."""
    # A client waits until a connection ends and the stack has a pcb for
    # its own (8 in all: lwipopts.h), which may be long: QEMU's side
    # retries a dropped SYN later each time.
    load(s, 32, 500, timeout=150)


@case(boot=False, timeout=120)
def http_make_run(s):
    """`make run NET=1` boots with init starting httpd beside the shell
    (the kernel command line is taken from `make -n run NET=1`): the
    host reads the book from the disk on the forwarded port, and the
    shell works meanwhile (ps lists httpd)."""
    code, out = s.make(f"B={s.cfg.make_b}", "-n", "run", "NET=1")
    m = re.search(r'--net (\d+) --append "([^"]*)"', out)
    if code or not m:
        s.fail(f"make -n run NET=1 gives no --net and --append: {out.strip().splitlines()[-1:]}")
    port = free_port()
    s.boot(f"netstatic {m.group(2)}", disk=make_disk(s), net=port)
    start(s)
    if not re.search(SERVING, s.serial):
        s.wait_for(SERVING, timeout=20)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/README.md", timeout=20) as r:
        if r.read() != (s.cfg.root / "docs/README.md").read_bytes():
            s.fail("/README.md is not the book's")
    out = command(s, "ps")
    if not re.search(r"\bhttpd\b", out):
        s.fail(f"ps does not list httpd: {out!r}")


@case(boot=False, timeout=120)
def http_slow_reader(s):
    """A client that asks for 300 large files in one go and reads
    nothing: once the buffers between are full, httpd's write waits its
    10 seconds (SO_SNDTIMEO), then gives up that answer half sent and
    closes the connection (the client, reading at last, finds far less
    than it asked for, then the end), while another client is served at
    once meanwhile; leakcheck finds nothing left."""
    port = serve(s, 2)
    big = (s.cfg.root / "docs/performance.md").stat().st_size
    sk = socket.socket()
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sk.connect(("127.0.0.1", port))
    try:
        sk.sendall(b"GET /performance.md HTTP/1.1\r\nHost: f\r\n\r\n" * 300)
        time.sleep(2)
        results = []
        fetch_timed(port, "/README.md", results)
        if results[0][0] != 200 or results[0][1] > 4:
            s.fail(f"a client beside the stuck one: {results}")
        # Given up: an answer logged with fewer bytes than the file's.
        s.wait_for(rf"^httpd: 10\.0\.2\.2:\d+ GET /performance\.md 200 (?!{big}$)\d+$", timeout=40)
        sk.settimeout(20)
        got = 0
        while True:
            chunk = sk.recv(65536)
            if not chunk:
                break
            got += len(chunk)
    except ConnectionResetError:
        pass
    finally:
        sk.close()
    if got >= 300 * big:
        s.fail(f"the client that read nothing got everything: {got} bytes")
    finish(s)


@case(boot=False, timeout=180)
def http_browser(s):
    """A real browser, Debian's headless Chromium, loads the book's
    front page (/, a listing), a chapter and /stats from httpd: each
    request is in the access log with 200, and each screenshot shows a
    page, not a blank one. The screenshots stay in the build directory,
    build/httpd-*.png (the README shows the /stats one, copied to
    docs/img)."""
    port = free_port()
    s.boot("netstatic -- init httpd", disk=make_disk(s), net=port)
    s.wait_for(SERVING, timeout=30)
    for name, path in (("book", "/"), ("chapter", "/network.md"), ("stats", "/stats")):
        mark = len(s.serial)
        out = s.cfg.build / f"httpd-{name}.png"
        out.unlink(missing_ok=True)
        screenshot(s, f"http://127.0.0.1:{port}{path}", out)
        # init's shell may have printed its prompt on the line first
        if not logged(s, mark, rf".*httpd: 10\.0\.2\.2:\d+ GET {re.escape(path)} 200 \d+", 1):
            s.fail(f"the browser's GET {path} is not in the access log as a 200")
        _, _, rows = png_pixels(out)
        colours = {px for row in rows for px in row}
        dark = sum(1 for row in rows for (r, g, b) in row if r + g + b < 200)
        if len(colours) < 4 or dark < 500:
            s.fail(f"{out.name}: {len(colours)} colours, {dark} dark pixels: no page")
