"""Checks of the runner's own pure parts, run as the test runner_pieces."""
import os
import re
import socket
import threading
import time

from tests.runner import keys
from tests.runner.machine import SerialLog
from tests.runner.discover import first_complaint, user_options
from tests.runner.vga import COLS, SIZE, Screen


def check_keys():
    assert keys.chords("aZ") == [["a"], ["shift", "z"]]
    assert keys.chords("?\n\b ") == [["shift", "slash"], ["ret"], ["backspace"], ["spc"]]
    try:
        keys.chord("\x01")
    except ValueError:
        return
    raise AssertionError("a control character got a key")


def check_vga():
    cells = bytearray(b" \x07" * (SIZE // 2))
    cells[0:4] = b"F\x1eA\x1e"
    cells[COLS * 2 * 24] = 0xB3             # code page 437: a vertical bar
    s = Screen.decode(bytes(cells))
    assert s.text()[0] == "FA" and s.attrs[0][:3] == b"\x1e\x1e\x07"
    assert s.lines[24][0] == "\u2502" and len(s.lines) == 25


def check_user_options():
    assert user_options("/* runner: timeout=60 args=a b */") == {"timeout": 60.0, "args": "a b"}
    assert user_options("int x;")["timeout"] > 0


def check_complaint():
    out = "ok 1\nt.c:3: runtime error: index 2 out of bounds\nABORTING\n"
    assert first_complaint(out).startswith("t.c:3: runtime error")
    assert first_complaint("") == "no output"


class Looks:
    """A regex that counts how far back from the end each search began:
    (text length, characters searched) per search."""

    def __init__(self, pattern):
        self.rx = re.compile(pattern, re.M)
        self.looks = []
        self.looked = threading.Event()

    def search(self, text, pos):
        self.looks.append((len(text), len(text) - pos))
        self.looked.set()
        return self.rx.search(text, pos)


def check_serial_log():
    """A wait on a long output searches only what is new (and OVERLAP
    before it), not all of it again at each read; lines and a match split
    between reads come out whole; once the line is closed, the text holds
    all that was written."""
    a, b = socket.socketpair()
    log = SerialLog(b, os.devnull)
    rx, found = Looks(r"^TEST PASS x\n"), []
    waiter = threading.Thread(target=lambda: found.append(log.wait(rx, 0, time.monotonic() + 20)))
    waiter.start()
    try:
        chunk = b"\0" * 4096 + b"\n"
        for _ in range(48):             # 192 KiB: three OVERLAPs
            rx.looked.clear()
            a.sendall(chunk)
            rx.looked.wait(5)
        for piece in (b"TEST PA", b"SS x", b"\n"):
            a.sendall(piece)
            time.sleep(0.05)
        waiter.join(20)
        a.sendall(b"the last line\n")
    finally:
        a.close()
    log.wait_closed(5)
    assert log.text.endswith("\nthe last line\n"), "the closed line's last bytes were not in the text"
    assert found and found[0], "the pattern split between reads was not found"
    for (prev, _), (length, searched) in zip(rx.looks, rx.looks[1:]):
        assert searched <= length - prev + SerialLog.OVERLAP, \
            f"searched {searched} of {length} characters, {length - prev} of them new"
    with log.cond:
        lines = [ln for _, ln in log.lines]
    assert lines[-2:] == ["TEST PASS x", "the last line"] \
        and all(len(ln) == 4096 for ln in lines[:-2]), \
        "lines came out cut"


def run():
    """Names of the failed checks (with their assertion's message)."""
    failed = []
    for check in (check_keys, check_vga, check_user_options, check_complaint,
                  check_serial_log):
        try:
            check()
        except AssertionError as e:
            failed.append(f"{check.__name__} {e}".strip())
    return failed
