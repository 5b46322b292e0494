"""Just enough of the GDB remote protocol to stop the guest at one address.

The runner sets a breakpoint on machine_poweroff so that it can read the
screen of a guest that is about to end QEMU (a panic report, a final
verdict), then lets it go on and exit with its status.
"""


class GdbError(Exception):
    """The stub answered something unexpected, or went away."""


def _checksum(data):
    return f"{sum(data) & 0xFF:02x}".encode()


class Gdb:
    """A GDB remote-protocol client over a connected socket. Used by one
    thread at a time (set-up, then the stop watcher)."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _byte(self):
        if not self.buf:
            self.buf = self.sock.recv(4096)
            if not self.buf:
                raise GdbError("the GDB stub closed the connection")
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def send(self, payload):
        """Send one packet and wait for the stub's acknowledgement."""
        data = payload.encode()
        self.sock.sendall(b"$" + data + b"#" + _checksum(data))
        while (b := self._byte()) != b"+":
            if b == b"-":
                raise GdbError(f"the stub rejected packet {payload!r}")

    def recv(self):
        """Receive one packet (skipping stray acks) and acknowledge it."""
        while self._byte() != b"$":
            pass
        data = b""
        while (b := self._byte()) != b"#":
            data += b
        self._byte()
        self._byte()            # checksum: the socket is reliable
        self.sock.sendall(b"+")
        return data.decode(errors="replace")

    def _ok(self, payload):
        self.send(payload)
        if (reply := self.recv()) != "OK":
            raise GdbError(f"{payload}: {reply!r}")

    def break_at(self, addr):
        """Plant a breakpoint at addr (the guest must be stopped)."""
        self._ok(f"Z0,{addr:x},1")

    def unbreak(self, addr):
        """Remove the breakpoint at addr, so that a guest stopped on it
        can go on (the stub would stop there again at once)."""
        self._ok(f"z0,{addr:x},1")

    def cont(self):
        """Resume the guest; its next stop is reported to wait_stop()."""
        self.send("c")

    def wait_stop(self):
        """Wait for a stop reply and return its signal (5: breakpoint,
        2: stopped by QMP). Raises GdbError when QEMU goes away."""
        while True:
            reply = self.recv()
            if reply[:1] in ("T", "S"):
                return int(reply[1:3], 16)
