"""Checks of ring 0's defences (docs/lie-ring0.md) beyond the verdicts of
their user tests. (The runner loads every tests/cases_*.py.)
"""
import re

from tests.runner import check

# user/tests/vm86_kill.c enters vm86 mode with these segment registers.
VM86_SEGS = "ds=2222 es=1111 fs=3333 gs=4444 ss=5555"
KILL_RE = r"^fable: thread \d+ killed: (.*)$"


@check("vm86_kill")
def vm86_kill_reports(s):
    """Each thread killed in vm86 mode is reported as such, with cs:ip,
    and the registers of the vm86 code: the data segments the CPU pushed
    above the frame, not the nulls it loaded."""
    kills = [m.group(1) for _, m in s.lines_matching(KILL_RE)]
    want = [
        "Page fault (cause 14) at 0000:0000 in vm86 mode, cr2 00000000",
        "Page fault (cause 14) at 1000:0000 in vm86 mode, cr2 00010000",
        "Page fault (cause 14) at ffff:0010 in vm86 mode, cr2 00100000",
        "Page fault (cause 14) at 1000:0000 in vm86 mode, cr2 00010000",
        "Debug (cause 1) at 1000:0000 in vm86 mode",
        "Page fault (cause 14) at 1000:0000 in vm86 mode, cr2 00010000",
    ]
    if kills != want:
        s.fail(f"kill reports {kills!r}, want {want!r}")
    segs = s.lines_matching(r"^\s*eip=\S+ eflags=\S+ cs=\S+ " + re.escape(VM86_SEGS) + r"\s*$")
    if len(segs) != len(want):
        s.fail(f"{len(segs)} register dumps show the vm86 segments ({VM86_SEGS}), "
               f"want {len(want)}")
