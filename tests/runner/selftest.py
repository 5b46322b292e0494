"""Checks of the runner's own pure parts, run as the test runner_pieces."""
from tests.runner import keys
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


def run():
    """Names of the failed checks (with their assertion's message)."""
    failed = []
    for check in (check_keys, check_vga, check_user_options, check_complaint):
        try:
            check()
        except AssertionError as e:
            failed.append(f"{check.__name__} {e}".strip())
    return failed
