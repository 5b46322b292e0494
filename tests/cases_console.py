"""Scripted tests of the console under load (docs/drivers.md): keys typed
on the PS/2 keyboard while a program prints without pause all arrive, in
order."""
import random
import re

from tests.runner import case

FLOOD_LINES = 40                # 40 lines of 49 keys and Enter: 2,000 keys
FLOOD_WIDTH = 49
KEYS = "abcdefghijklmnopqrstuvwxyz0123456789"    # one key each, no shift
HOLD_EVERY = 8                  # lines typed while the runner stops reading serial
HOLD_SECONDS = 1.0


# The keys cases run under -icount, where QEMU 7.2 runs every CPU on one
# host thread, in turns, and a busy CPU's turn lasts to the next timer
# deadline: at four CPUs the boot CPU, which takes the keyboard's IRQ1,
# can go without a turn long enough for QEMU's 16-byte PS/2 queue to
# overflow on a loaded host (docs/smp.md, "What is not done yet"). So
# they run at two CPUs at most; the whole suite's run at four runs them
# at two.
ICOUNT_CPUS = 2


def keys_cpus(s):
    """The CPUs for a keys case: the run's, at most ICOUNT_CPUS."""
    return min(s.cfg.smp or 1, ICOUNT_CPUS)


def flood_text(seed):
    """The lines typed, the same every run."""
    rng = random.Random(seed)
    return ["".join(rng.choice(KEYS) for _ in range(FLOOD_WIDTH)) for _ in range(FLOOD_LINES)]


@case(boot=False, timeout=240)
def keys_while_printing(s):
    """2,000 keys typed while a thread prints lines as fast as it can
    (user/tests/keys_flood.c): every line comes back exactly as typed.
    A line at a time, at the runner's usual pace (QEMU's queue of
    pending key events is only some hundred entries deep), the next once
    the program has reported the last. Every HOLD_EVERY-th line is typed
    while the runner reads no serial output, as a slow terminal would:
    the printer must then wait for the line without keeping the keyboard
    out."""
    s.boot_test(f"keys_flood lines={FLOOD_LINES}", icount="shift=auto", smp=keys_cpus(s))
    type_flood(s)


def type_flood(s):
    """The body of keys_while_printing, once keys_flood is booted."""
    s.wait_for(rf"keys_flood: ready for {FLOOD_LINES} lines")
    for i, line in enumerate(flood_text(2000)):
        s.type_keys(line + "\n")
        if i % HOLD_EVERY == HOLD_EVERY - 1:
            s.hold_serial(HOLD_SECONDS)     # keys come meanwhile
        m = s.wait_for(rf"keys_flood: got {i} (\d+) '([^'\n]*)'\n", timeout=40)
        if m[2] != line:
            s.fail(f"line {i}: typed {line!r}, read {m[2]!r}")
    s.expect_test_pass("keys_flood")
