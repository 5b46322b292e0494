"""One QEMU process and the runner's three links to it.

QEMU is started paused (-S) and connects, as a client, to unix sockets the
runner already listens on: the serial line, QMP, and (when the kernel's
machine_poweroff address is known) the GDB stub. Nothing the guest writes
can be lost, because the guest runs only once every link is up.
"""
import codecs
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

from tests.runner.gdbstub import Gdb, GdbError
from tests.runner.qmp import Qmp, QmpError
from tests.runner.vga import BASE, SIZE, Screen

SIGTRAP = 5
CONNECT_TIMEOUT = 15.0

_live_lock = threading.Lock()
_live = set()                   # [_live_lock] QEMU processes not yet reaped
_killed = False                 # [_live_lock] kill_all ran: start no more


def kill_all():
    """Kill every QEMU this runner started, and refuse to start more
    (on Ctrl-C)."""
    global _killed
    with _live_lock:
        _killed = True
        for proc in _live:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)   # our own process group


class StartError(Exception):
    """QEMU did not come up; the message says what it printed."""


class SerialLog:
    """Everything the guest wrote on its serial line, with the host time
    at which each line was complete, also streamed to a log file.

    It stays linear in what the guest writes, however much that is (the
    fuzzer writes megabytes of binary at times): a wait searches only
    what arrived since its last look, and while output streams, what
    arrives is added to the text in batches, no more often than copying
    the text costs SHARE of a CPU. Before, every 4 KiB read copied the
    whole text and searched it again from the wait's start, and a run
    that printed 6 MB fell so far behind that it passed its time."""

    READ = 65536                # bytes per read of the socket
    OVERLAP = 65536             # a wait looks again this far before what is new
    SHARE = 0.1                 # of a CPU, copying a streaming text (at ~1 GB/s)

    def __init__(self, sock, path):
        self.sock = sock
        self.cond = threading.Condition()
        self.text = ""          # [cond] all output so far, \r removed
        self.lines = []         # [cond] (host time, line) of whole lines
        self.partial = []       # [cond] the pieces of the line under way
        self.closed = False     # [cond] QEMU closed the line: it is gone
        self.gate = threading.Lock()    # held: the pump reads nothing (hold())
        self.thread = threading.Thread(target=self._pump, args=(path,), daemon=True)
        self.thread.start()

    def _recv(self, timeout):
        """What the socket has, waiting at most timeout seconds (None:
        for ever); "" when nothing came, None when QEMU is gone."""
        if not self.gate.acquire(timeout=-1 if timeout is None else timeout):
            return b""
        self.gate.release()
        try:
            if not select.select([self.sock], [], [], timeout)[0]:
                return b""
            return self.sock.recv(self.READ) or None
        except (OSError, ValueError):
            return None

    def _pump(self, path):
        dec = codecs.getincrementaldecoder("utf-8")("replace")
        pending, due = [], 0.0      # [(host time, text)] not yet added
        with open(path, "w", encoding="utf-8") as log:
            while True:
                wait = None if not pending else max(0.0, due - time.monotonic())
                data = self._recv(wait)
                if data is None:
                    break
                if data:
                    s = dec.decode(data).replace("\r", "")
                    log.write(s)
                    log.flush()
                    pending.append((time.monotonic(), s))
                if pending and time.monotonic() >= due:
                    self._add(pending)
                    pending = []
                    due = time.monotonic() + len(self.text) / (self.SHARE * 1e9)
        with self.cond:
            self._add(pending)
            self.closed = True
            self.cond.notify_all()

    def _add(self, pieces):
        """Add [(host time, text)] to the text and its lines."""
        with self.cond:
            for now, s in pieces:
                *whole, rest = s.split("\n")
                if whole:
                    whole[0] = "".join(self.partial) + whole[0]
                    self.lines += [(now, ln) for ln in whole]
                    self.partial = []
                if rest:
                    self.partial.append(rest)
            self.text += "".join(s for _, s in pieces)
            self.cond.notify_all()

    def wait_closed(self, timeout):
        """Wait until QEMU's end of the line is closed and all it wrote is
        in the text (a verdict read at once could miss the last line)."""
        with self.cond:
            self.cond.wait_for(lambda: self.closed, timeout)

    def hold(self, seconds):
        """Read nothing for seconds, like a terminal that falls behind:
        once the socket's buffer is full (a few hundred bytes, as QEMU
        writes a byte at a time), the guest's UART stays busy."""
        with self.gate:
            time.sleep(seconds)

    def wait(self, regex, start, deadline):
        """First match of regex at or after offset start, waiting until
        the deadline (monotonic); None on timeout or when QEMU is gone.
        After the first look it searches from OVERLAP before what is
        new: a match longer than that may be missed."""
        at = start
        with self.cond:
            while True:
                if m := regex.search(self.text, at):
                    return m
                at = max(start, len(self.text) - self.OVERLAP)
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    return None
                self.cond.wait(left)


def _listen(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(1)
    s.settimeout(0.2)
    return s


class Machine:
    """A running QEMU. boot_args are scripts/qemu options (--kernel ...);
    logs go to logdir; QEMU is killed after hard_timeout seconds even if
    the runner itself dies. stop_at: address of machine_poweroff, where
    the final screen is captured before QEMU exits (None: no capture)."""

    def __init__(self, root, boot_args, logdir, hard_timeout, stop_at=None, qemu_extra=()):
        self.logdir = logdir
        self.tmp = tempfile.mkdtemp(prefix="fable-q")
        self.final = None       # screen at machine_poweroff: set by the watcher
        self.socks = []         # every connection QEMU made to us
        self.proc = None
        self.qmp = self.gdb = self.serial = None
        links = ["serial", "qmp"] + (["gdb"] if stop_at is not None else [])
        listeners = {k: _listen(os.path.join(self.tmp, k)) for k in links}
        try:
            self._spawn(root, boot_args, hard_timeout, links, qemu_extra)
            self._connect(listeners, stop_at)
        except (QmpError, GdbError, OSError) as e:
            self.close()
            raise StartError(f"QEMU did not start: {self.qemu_log_tail() or e}") from e
        except BaseException:
            self.close()
            raise
        finally:
            for s in listeners.values():
                s.close()

    def _spawn(self, root, boot_args, hard_timeout, links, qemu_extra):
        """Start QEMU paused, as a client of our sockets, under timeout(1)."""
        qemu_args = ["-S"] + [a for k in links for a in (f"-{k}", f"unix:{self.tmp}/{k}")] \
            + list(qemu_extra)
        self.argv = ["timeout", "-k", "2", str(int(hard_timeout) + 1), "scripts/qemu",
                     *boot_args, "--display", "headless", "--", *qemu_args]
        with open(os.path.join(self.logdir, "qemu.log"), "w") as out:
            out.write(" ".join(self.argv) + "\n")
            out.flush()
            with _live_lock:
                if _killed:
                    raise StartError("the runner was interrupted")
                self.proc = subprocess.Popen(self.argv, cwd=root, stdin=subprocess.DEVNULL,
                                             stdout=out, stderr=subprocess.STDOUT,
                                             start_new_session=True)
                _live.add(self.proc)

    def _accept(self, listener):
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            conn.settimeout(None)
            self.socks.append(conn)
            return conn
        why = self.qemu_log_tail() or f"no connection after {CONNECT_TIMEOUT:.0f}s"
        raise StartError(f"QEMU did not start: {why}")

    def _connect(self, listeners, stop_at):
        """Take QEMU's connections, then let the guest run."""
        socks = {k: self._accept(s) for k, s in listeners.items()}
        self.serial = SerialLog(socks["serial"], os.path.join(self.logdir, "serial.log"))
        self.qmp = Qmp(socks["qmp"])
        if stop_at is None:
            self.qmp.cmd("cont")
            return
        self.gdb = Gdb(socks["gdb"])
        self.gdb.break_at(stop_at)
        self.gdb.cont()
        threading.Thread(target=self._watch, args=(stop_at,), daemon=True).start()

    def _watch(self, addr):
        """Wait for the poweroff breakpoint, keep the screen, go on."""
        try:
            while self.gdb.wait_stop() != SIGTRAP:
                pass
            with self.qmp.lock:
                self.final = self._read_vga()
                self._dump_png(os.path.join(self.logdir, "final.png"))
                self.gdb.unbreak(addr)
                self.gdb.cont()
        except (GdbError, QmpError, OSError):
            pass                # QEMU went away: nothing left to capture

    def qemu_log_tail(self):
        """The last line QEMU printed (after our command line), or ""."""
        with open(os.path.join(self.logdir, "qemu.log")) as f:
            lines = [ln.strip() for ln in f if ln.strip()]
        return lines[-1] if len(lines) > 1 else ""

    def _read_vga(self):
        """Caller holds qmp.lock and the guest is stopped."""
        path = os.path.join(self.tmp, "vga.bin")
        self.qmp.cmd("pmemsave", val=BASE, size=SIZE, filename=path)
        with open(path, "rb") as f:
            return Screen.decode(f.read())

    def _dump_png(self, path):
        self.qmp.cmd("screendump", filename=os.path.abspath(path), format="png")

    def vga(self):
        """The text screen now. A running guest is stopped for the read,
        so that no line is caught half written, and then resumed (unless
        it reached the poweroff breakpoint meanwhile: the watcher resumes
        it)."""
        with self.qmp.lock:
            running = self.qmp.status() == "running"
            if running:
                self.qmp.cmd("stop")
            screen = self._read_vga()
            if running and self.qmp.status() == "paused":
                self.qmp.cmd("cont")
            return screen

    def screenshot(self, path):
        """Save the screen as QEMU draws it (720x400 PNG)."""
        with self.qmp.lock:
            self._dump_png(path)

    def send_keys(self, chords, hold_ms=10):
        """Press each chord (a list of qcodes) in turn on the PS/2 keyboard."""
        for keys in chords:
            self.qmp.cmd("send-key", keys=[{"type": "qcode", "data": k} for k in keys],
                         **{"hold-time": hold_ms})

    def write_serial(self, data):
        """Bytes into the guest's serial port, as if typed on a terminal."""
        self.serial.sock.sendall(data)

    def wait_exit(self, timeout):
        """QEMU's exit status, or None if it still runs after timeout s.
        Once it has ended, its last output has been read too."""
        try:
            code = self.proc.wait(max(timeout, 0))
        except subprocess.TimeoutExpired:
            return None
        if self.serial:
            self.serial.wait_closed(CONNECT_TIMEOUT)
        return code

    def _quit(self):
        """Ask QEMU to quit; True if it did."""
        try:
            self.qmp.cmd("quit")
            self.proc.wait(3)
            return True
        except (QmpError, subprocess.TimeoutExpired):
            return False

    def close(self):
        """End QEMU if it still runs, then drop the links."""
        if self.proc and self.proc.poll() is None and not (self.qmp and self._quit()):
            os.killpg(self.proc.pid, signal.SIGKILL)   # our own process group
            self.proc.wait()
        with _live_lock:
            _live.discard(self.proc)
        for sock in self.socks:
            sock.close()
        if self.serial:
            self.serial.thread.join(2)
        shutil.rmtree(self.tmp, ignore_errors=True)


def symbol(elf, name):
    """Address of a global symbol of elf (via nm), or None."""
    try:
        out = subprocess.run(["nm", elf], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    m = re.search(rf"^([0-9a-f]+) T {re.escape(name)}$", out, re.M)
    return int(m[1], 16) if m else None
