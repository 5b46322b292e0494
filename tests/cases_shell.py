"""Scripted tests of the shell's utilities, as a person at `make run`
would use them: each case boots to the shell started by init, types
command lines on the PS/2 keyboard and checks what the screen shows
(and, for exit statuses, the serial mirror of the console)."""
import re

from tests.runner import Skip, case

PROMPT = "[410-shell]$ "
STATUS = r"shell: process \d+ finished with exit status (-?\d+)"


def start(s):
    """Wait for the shell's first prompt."""
    s.wait_for(r"Starting shell")
    s.wait_for(re.escape(PROMPT))


def command(s, line):
    """Type line, wait for the next prompt; the console output between
    (serial mirror), with the exit status line if a program ran."""
    begin = s.cursor
    s.type_keys(line + "\n")
    m = s.wait_for(re.escape(PROMPT), timeout=20)
    return s.serial[begin:m.start()]


def status_of(s, out, line):
    """The exit status the shell reported for the program run by line."""
    m = re.search(STATUS, out)
    if not m:
        s.fail(f"{line!r}: no exit status line; output {out!r}")
    return int(m.group(1))


def expect_run(s, line, text, status):
    """Type line; its output must hold text and the shell must report
    exit status `status`. Returns the output."""
    out = command(s, line)
    if text not in out or status_of(s, out, line) != status:
        s.fail(f"{line!r}: want {text!r} and status {status}; got {out!r}")
    return out


def on_screen(s, *texts):
    """Fail unless each text is somewhere on the screen now."""
    screen = s.vga()
    for text in texts:
        if not screen.contains(text):
            s.fail(f"{text!r} is not on the screen")
    return screen


@case(timeout=60)
def shell_leakcheck(s):
    """leakcheck runs a program and says whether the kernel's counters
    came back; its status is 0 only if the program's was 0 as well."""
    start(s)
    expect_run(s, "leakcheck true", "LEAKCHECK PASS true", 0)
    on_screen(s, "LEAKCHECK PASS true")
    expect_run(s, "leakcheck nosuchprogram", "cannot run nosuchprogram", 1)
    expect_run(s, "leakcheck", "usage: leakcheck", 1)


@case(timeout=90)
def shell_utilities(s):
    """help names the built-ins and utility programs; echo, ls, cat with
    arguments, free and colors work and leave their output on screen."""
    start(s)
    out = command(s, "help")
    for word in ("exit", "ls", "echo", "clear", "sleep", "cat", "ps", "free", "colors",
                 "leakcheck"):
        if not re.search(rf"^\s+{word}\s", out, re.M):
            s.fail(f"help does not list {word}")
    command(s, "echo  hello \t shell world")
    on_screen(s, "hello shell world")
    out = command(s, "ls")
    for name in ("cat", "colors", "free", "ps", "readme.txt", "shell"):
        if not re.search(rf"^{re.escape(name)}$", out, re.M):
            s.fail(f"ls does not list {name}")
    out = command(s, "cat readme.txt readme.txt")
    if out.count("Welcome to Fable") != 2 or status_of(s, out, "cat") != 0:
        s.fail(f"cat of two files: {out[-200:]!r}")
    on_screen(s, "Welcome to Fable")
    check_free(s, command(s, "free"))
    check_colors(s, command(s, "colors"))


def check_free(s, out):
    """free's frame line adds up and matches the machine's memory
    (256 MiB unless the runner was given --mem) less the RAM disk's bytes
    (boot log), which are not counted."""
    m = re.search(r"^frames\s+(\d+)\s+(\d+)\s+(\d+)\s*$", out, re.M)
    if not m or status_of(s, out, "free") != 0:
        s.fail(f"free printed no frames line: {out!r}")
    total, used, free = map(int, m.groups())
    disk = re.search(r"mm: RAM disk (\d+) KiB at ", s.serial)
    want = ((s.cfg.mem or 256) - 16) * 256 - (int(disk.group(1)) // 4 if disk else 0)
    if total + 64 < want or used + free != total or used == 0:
        s.fail(f"free: total {total}, used {used}, free {free} do not add up")
    on_screen(s, "kernel heap:", "tasks:")


def check_colors(s, out):
    """colors labels each cell with its attribute, drawn in that colour."""
    if status_of(s, out, "colors") != 0:
        s.fail("colors failed")
    screen = s.vga()
    for want in (0x1e, 0x4f, 0x70):
        label = f" {want:02x} "
        cells = [(r, line.find(label)) for r, line in enumerate(screen.lines) if label in line]
        if not cells:
            s.fail(f"no {label.strip()} cell on the screen")
        r, c = cells[-1]
        if screen.attrs[r][c + 1] != want:
            s.fail(f"the {label.strip()} cell is drawn in {screen.attrs[r][c + 1]:#04x}")
    prompt = max(r for r, line in enumerate(screen.lines) if line.startswith(PROMPT.strip()))
    if screen.attrs[prompt][0] != 0x07:
        s.fail("colors did not put the default colour back")


@case(timeout=60)
def shell_errors(s):
    """An unknown command and a missing file get a clear message; sleep
    checks its argument; clear blanks the screen."""
    start(s)
    expect_run(s, "frobnicate now", "frobnicate: unknown command", -1)
    on_screen(s, "frobnicate: unknown command (help lists them)")
    expect_run(s, "cat nosuchfile", "cat: nosuchfile: no such file", 1)
    out = command(s, "cat")
    if "usage: cat FILE" not in out:
        s.fail(f"cat alone: {out!r}")
    if "usage: sleep" not in command(s, "sleep soon"):
        s.fail("sleep accepted a word")
    if "usage" in command(s, "sleep 20"):
        s.fail("sleep refused 20 ticks")
    command(s, "clear")
    lines = [ln for ln in s.screen() if ln.strip()]
    if lines != [PROMPT.strip()]:
        s.fail(f"after clear the screen shows {lines[:3]!r}")


@case(timeout=60)
def shell_ps(s):
    """ps lists init, the shell and itself, each with its threads, and
    shows itself running on a CPU (tid:running@cpu)."""
    start(s)
    out = command(s, "ps")
    if "no task list" in out:
        raise Skip("the kernel does not implement tasklist (vector 0x83) yet")
    rows = {m.group(3): m for m in re.finditer(
        r"^\s*(\d+)\s+(\d+)\s+alive\s+-?\d+\s+\d+\s+(\S+)((?:\s+\d+:\w+(?:@\d+)?)+)", out, re.M)}
    for name in ("init", "shell", "ps"):
        if name not in rows:
            s.fail(f"ps lists no live task {name}: {out!r}")
    if not re.search(r"\d+:running@\d+", rows["ps"].group(4)):
        s.fail(f"ps does not show itself running on a CPU: {rows['ps'].group(0)!r}")
    if rows["ps"].group(2) != rows["shell"].group(1):
        s.fail("ps's parent is not the shell")
    on_screen(s, "THREADS")
