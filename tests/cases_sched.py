"""The shell stays responsive under a thread bomb and a fork bomb
(docs/scheduling.md).

Each case boots to the shell under QEMU's -icount, where guest time counts
guest instructions, so nothing the guest measures depends on the host's
load. It starts a load in the background with `hog` (user/bin/hog.c),
types a command, and reads the kernel's latency probe: the timer ticks
from the Enter key's interrupt to the first print after it, the shell's
answer (sched_note_output() in kernel/proc/sched.c, at loglevel=3).
"""
import re

from tests.cases_shell import PROMPT, start
from tests.runner import case
from tests.runner.session import EXIT_PASS

TARGET_TICKS = 50        # 0.5 s: the Hardening issue's bound
PROBE = r"sched: enter answered in (\d+) ticks, (\d+) tsc"
ANSWERS = 3              # commands typed under each load


def wait_all(s, *patterns):
    """Wait for every pattern, in any order, after the previous match."""
    begin, end = s.cursor, s.cursor
    for pattern in patterns:
        s.cursor = begin
        end = max(end, s.wait_for(pattern).end())
    s.cursor = end


def answer_ticks(s, line, text):
    """Type line; the ticks until its first output, which must hold text."""
    s.type_keys(line + "\n")
    m = s.wait_for(PROBE)
    wait_all(s, re.escape(text), re.escape(PROMPT))
    return int(m[1])


def under_load(s, hog):
    """Start `hog` (which prints nothing until its load is over: the first
    output after it is the shell's exit-status line), then answer ANSWERS
    commands while the load runs; the worst latency in ticks must be
    within the target."""
    s.boot("loglevel=3", icount=True)
    start(s)
    ticks = [answer_ticks(s, hog, "finished with exit status 0")]
    ticks += [answer_ticks(s, f"echo answer {i}", f"answer {i}") for i in range(ANSWERS)]
    if max(ticks) > TARGET_TICKS:
        s.fail(f"the shell answered in {ticks} ticks under `{hog}`; want <= {TARGET_TICKS}")


@case(boot=False, timeout=120)
def shell_latency_threads(s):
    """Under 1,000 spinning threads of one task, the shell answers every
    command within 50 ticks of guest time."""
    under_load(s, "hog threads 1000 400")


@case(boot=False, timeout=120)
def shell_latency_forks(s):
    """Under a fork bomb, the shell answers every command within 50 ticks
    of guest time."""
    under_load(s, "hog forks 400")


@case(boot=False, timeout=60)
def hog_threads_any_count(s):
    """hog threads N runs N spinners for any N, not only multiples of four
    (its stacks, 1 KiB each, are mapped in whole pages); under leakcheck,
    as `make trace RUN="hog threads 10 20"` runs it."""
    s.boot_test("hog threads 10 5")
    s.wait_line(r"hog: 10 threads spun 5 ticks; largest gap between runs \d+ ticks?")
    s.wait_for(r"LEAKCHECK PASS hog")
    s.expect_exit(EXIT_PASS)
    s.expect_no_leak("hog")
