"""A small QMP client (QEMU Machine Protocol: one JSON object a line)."""
import json
import threading


class QmpError(Exception):
    """QEMU refused a command, or went away while we talked to it."""


class Qmp:
    """QMP over a connected socket. Commands are serialised by `lock`,
    which callers may also hold across several commands."""

    def __init__(self, sock):
        self.sock = sock
        self.file = sock.makefile("rb")
        self.lock = threading.RLock()
        self.events = []        # [lock] asynchronous events seen so far
        self._read()            # the greeting
        self.cmd("qmp_capabilities")

    def _read(self):
        try:
            line = self.file.readline()
        except OSError:
            line = b""
        if not line:
            raise QmpError("QEMU closed the QMP connection")
        return json.loads(line)

    def cmd(self, name, **args):
        """Run one command and return its result; raises QmpError."""
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        with self.lock:
            try:
                self.sock.sendall(json.dumps(msg).encode() + b"\n")
            except OSError as e:
                raise QmpError(f"QMP {name}: {e}") from e
            while True:
                reply = self._read()
                if "event" in reply:
                    self.events.append(reply)
                elif "error" in reply:
                    raise QmpError(f"QMP {name}: {reply['error'].get('desc')}")
                else:
                    return reply.get("return")

    def status(self):
        """The run state: "running", "paused", "debug", "prelaunch", ..."""
        return self.cmd("query-status")["status"]
