"""Scripted tests of files from the shell (docs/files.md, docs/userlib.md):
redirections, pipelines, and the file utilities on /tmp and on the RAM
disk, typed on the keyboard as a person would. Expected contents come
from the host's copy of the files (user/data/)."""
import re

from tests.cases_shell import PROMPT, command, on_screen, start, status_of
from tests.runner import case


def readme(s):
    return (s.cfg.root / "user" / "data" / "readme.txt").read_text()


def expect(s, line, pattern, status=0):
    """Type line; its output must match the regex pattern and the shell
    must report exit status `status`. Returns the output."""
    out = command(s, line)
    if not re.search(pattern, out, re.M) or status_of(s, out, line) != status:
        s.fail(f"{line!r}: want /{pattern}/ and status {status}; got {out!r}")
    return out


def expect_builtin(s, line, pattern):
    """Type line, a built-in (no exit status); its output must match."""
    out = command(s, line)
    if not re.search(pattern, out, re.M):
        s.fail(f"{line!r}: want /{pattern}/; got {out!r}")
    return out


def after_typing(s, keys):
    """Type keys (a command and its input), then wait for the prompt."""
    begin = s.cursor
    s.type_keys(keys)
    m = s.wait_for(re.escape(PROMPT), timeout=20)
    return s.serial[begin:m.start()]


@case(timeout=90)
def shell_redirect(s):
    """> makes a file, >> appends, < feeds standard input, and a pipeline
    of three commands passes the bytes along; a line without a command
    or a file name is refused."""
    start(s)
    text = readme(s)
    command(s, "echo hello files > /tmp/a")
    expect(s, "cat /tmp/a", r"^hello files\r?$")
    command(s, "echo more>>/tmp/a")
    expect(s, "wc /tmp/a", r"^2 3 17 /tmp/a\r?$")
    expect(s, "wc < /tmp/a", r"^2 3 17\r?$")
    expect(s, "cat < /tmp/a", r"^more\r?$")
    lines = sum("Fable" in ln for ln in text.splitlines())
    expect(s, "cat readme.txt | grep Fable | wc", rf"^{lines} \d+ \d+\r?$")
    words = len(text.split())
    expect(s, "cat < readme.txt|cat|cat|wc", rf"^{len(text.splitlines())} {words} {len(text)}\r?$")
    expect(s, "grep -c e readme.txt > /tmp/n", r"finished")
    want = sum("e" in ln for ln in text.splitlines())
    expect(s, "cat /tmp/n", rf"^{want}\r?$")
    first = text.splitlines()[:2]
    out = expect(s, "head -n 2 readme.txt", re.escape(first[1]))
    if first[0] not in out or text.splitlines()[2] in out:
        s.fail(f"head -n 2 printed {out!r}")
    expect(s, "hexdump /tmp/a", r"^00000000  68 65 6c 6c 6f 20 66 69")
    expect(s, "cat nosuch > /tmp/b", r"cat: nosuch: no such file", 1)
    for bad in ("cat |", "| wc", "cat >", "cat < < x"):
        out = command(s, bad)
        if "syntax error" not in out:
            s.fail(f"{bad!r} was not refused: {out!r}")
    command(s, "echo bye > /tmp/a")
    expect(s, "cat /tmp/a", r"^bye\r?$")
    command(s, "rm /tmp/a /tmp/b /tmp/n")
    out = command(s, "ls /tmp")
    if re.search(r"^[abn]\r?$", out, re.M):
        s.fail(f"rm left files: {out!r}")


@case(timeout=90)
def shell_file_utilities(s):
    """mkdir, touch, cp, mv, ln (-s), ls -l, rm, rmdir, cd, pwd, df and
    sync on /tmp; the RAM disk lists and copies but refuses changes; ls
    and grep leave nothing behind (leakcheck)."""
    start(s)
    text = readme(s)
    expect(s, "mkdir /tmp/d", "finished")
    expect(s, "touch /tmp/d/f", "finished")
    expect(s, "cp readme.txt /tmp/d", "finished")
    expect(s, "wc /tmp/d/readme.txt", rf"^\d+ \d+ {len(text)} /tmp/d/readme.txt")
    expect(s, "mv /tmp/d/readme.txt /tmp/d/r", "finished")
    expect(s, "ln -s r /tmp/d/l", "finished")
    expect(s, "ln /tmp/d/r /tmp/d/h", "finished")
    out = expect(s, "ls -l /tmp/d", rf"^-\d+ +2 +{len(text)} +\d+ r\r?$")
    for pat in (r"^l\d+ +1 +1 +\d+ l -> r\r?$", r"^-\d+ +1 +0 +\d+ f\r?$", r" h\r?$"):
        if not re.search(pat, out, re.M):
            s.fail(f"ls -l /tmp/d lacks /{pat}/: {out!r}")
    expect(s, "cat /tmp/d/l", re.escape(text.splitlines()[0]))
    expect(s, "rmdir /tmp/d", "not empty", 1)
    expect(s, "rm /tmp/d", "a directory", 1)
    command(s, "cd /tmp/d")
    expect_builtin(s, "pwd", r"^/tmp/d\r?$")
    expect(s, "rm f r l h", "finished")
    command(s, "cd ..")
    expect_builtin(s, "pwd", r"^/tmp\r?$")
    expect(s, "rmdir d", "finished")
    expect(s, "ls -l /", r"^d\d+ +\d+ +\d+ +\d+ tmp\r?$")
    expect(s, "ls -l /readme.txt", rf"^-555 +1 +{len(text)} +\d+ /readme.txt\r?$")
    command(s, "cd /")
    expect(s, "mv readme.txt /tmp/x", r"cannot rename it \(error -23\)", 1)
    expect(s, "rm readme.txt", "cannot remove it", 1)
    expect(s, "mkdir /d", "cannot make it", 1)
    expect(s, "df", r"^/tmp +tmpfs +rw ")
    expect(s, "leakcheck ls -l /", r"LEAKCHECK PASS ls")
    expect(s, "leakcheck grep -c Fable readme.txt", r"LEAKCHECK PASS grep")
    expect(s, "sync", "finished")
    out = command(s, "ls /tmp")
    names = [ln for ln in out.splitlines()[1:] if ln.strip() and not ln.startswith("shell:")]
    if names:
        s.fail(f"/tmp is not empty: {names!r}")


@case(timeout=90)
def shell_ed(s):
    """ed appends lines and writes them; the file reads back through cat,
    and ed loads it again, numbers its lines and deletes one."""
    start(s)
    out = after_typing(s, "ed /tmp/e\na\nfirst line\nsecond line\n.\nw\nq\n")
    if not re.search(r"^23\r?$", out, re.M):
        s.fail(f"ed did not report 23 bytes written: {out!r}")
    expect(s, "cat /tmp/e", r"^first line\r?\nsecond line\r?$")
    out = after_typing(s, "ed /tmp/e\nd 1\nn\nw\nx\nq\n")
    for pat in (r"^23\r?$", r"^1\tsecond line\r?$", r"^12\r?$", r"^\?\r?$"):
        if not re.search(pat, out, re.M):
            s.fail(f"ed's second session lacks /{pat}/: {out!r}")
    out = expect(s, "cat /tmp/e", r"^second line\r?$")
    if "first line" in out:
        s.fail(f"ed did not delete line 1: {out!r}")
    command(s, "rm /tmp/e")
    on_screen(s, "second line")
