"""Scripted tests of the disk in the name space (docs/files.md, "The mount
table"; docs/abi/fable.md §6.5): each makes an ext2 image with `make disk`
(or damages one), boots Fable with it as hda, and checks from the shell
and, after the machine stops, with the host's e2fsprogs."""
import filecmp
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import time

from tests.cases_fuzz import debug_kernel
from tests.cases_shell import PROMPT, command, start, status_of
from tests.runner import case
from tests.runner.session import Session

SBIN = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
MOUNTED = r".*fs: hda mounted at / \(ext2, {}\); the RAM disk at /rd"
HALTED = 1                      # QEMU's exit status after halt (docs/abi/fable.md §4)


def host(s, argv, ok=(0,)):
    """Run an e2fsprogs command on the host; fail unless its status is in
    ok. Returns (status, output)."""
    p = subprocess.run([str(a) for a in argv], env=dict(os.environ, PATH=SBIN),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=max(s.remaining(), 1))
    out = p.stdout.decode(errors="replace")
    with open(s.logdir / "host.log", "a") as f:
        f.write(f"$ {' '.join(str(a) for a in argv)}  (exit {p.returncode})\n{out}")
    if p.returncode not in ok:
        s.fail(f"{argv[0]} {argv[1]}: exit {p.returncode}: {out.strip().splitlines()[-1:]}")
    return p.returncode, out


def make_disk(s, name="disk", block=4096, mib=64, add=None):
    """`make disk` into the test's log directory; the image's path. The
    file is named after the test too: make stages each image name in a
    directory of its own, and tests run in parallel."""
    path = s.logdir / f"{s.name}-{name}.img"
    args = [f"B={s.cfg.make_b}", "disk", f"DISK={path}", f"BLOCK={block}", f"DISK_MB={mib}"]
    if add:
        args.append(f"ADD={add}")
    code, out = s.make(*args)
    if code:
        s.fail(f"make disk failed: {out.strip().splitlines()[-1:]}")
    return path


def boot_disk(s, img, mode="read-write", cmdline="", smp=None):
    """Boot with img as hda; the log says it is mounted at /."""
    s.boot(cmdline, disk=img, smp=smp)
    s.wait_line(MOUNTED.format(mode), timeout=60)


def expect(s, line, pattern, status=0):
    """Type line; its output must match pattern and the shell must report
    exit status `status`. Returns the output."""
    out = command(s, line)
    if not re.search(pattern, out, re.M) or status_of(s, out, line) != status:
        s.fail(f"{line!r}: want /{pattern}/ and status {status}; got {out!r}")
    return out


def names(out):
    """The lines a listing printed (the exit-status line left out)."""
    return {ln.strip() for ln in out.splitlines()[1:]
            if ln.strip() and not ln.startswith("shell:")}


def halt(s):
    """halt from the shell: QEMU must end as halt makes it."""
    s.type_keys("halt\n")
    code = s.wait_exit(30)
    if code != HALTED:
        s.fail(f"halt: QEMU's exit status {code}, not {HALTED}")


def dump(s, img, path, tmp):
    """The bytes of path on img, read by debugfs."""
    out = tmp / "dumped"
    if out.exists():
        out.unlink()
    host(s, ["debugfs", "-R", f"dump {path} {out}", img])
    if not out.exists():
        s.fail(f"debugfs finds no {path} on the image")
    return out.read_bytes()


def expect_clean(s, img):
    """e2fsck -fn finds nothing to fix, and the disk is marked clean."""
    host(s, ["e2fsck", "-fn", img])
    _, head = host(s, ["dumpe2fs", "-h", img])
    if not re.search(r"^Filesystem state:\s+clean$", head, re.M):
        s.fail("the image is not marked clean after halt")


@case(boot=False, timeout=240)
def mount_disk_shape(s):
    """With the image `make disk` builds, / is the disk: ls / shows a
    system with a shape (bin, doc, home, tests, and the RAM disk at /rd,
    /tmp), /bin the utilities and no test programs, cat of /doc/README.md
    gives the host's file byte for byte, readfile (more) reads a path on
    the disk, df lists the three mounts and the block cache's counts, and
    the shell's programs run from /bin (and by path)."""
    img = make_disk(s)
    boot_disk(s, img)
    start(s)
    top = names(command(s, "ls /"))
    for want in ("bin", "doc", "home", "tests", "rd", "tmp", "README"):
        if want not in top:
            s.fail(f"ls / does not list {want}: {sorted(top)}")
    if "readme.txt" in top:
        s.fail("ls / lists the RAM disk's files")
    bin_ = names(command(s, "ls /bin"))
    for want in ("ls", "cat", "shell", "cp", "halt", "ed"):
        if want not in bin_:
            s.fail(f"ls /bin does not list {want}: {sorted(bin_)}")
    if "fuzz" in bin_ or "fsync_crash" in bin_:
        s.fail("ls /bin lists test programs")
    if "fuzz" not in names(command(s, "ls /tests")):
        s.fail("ls /tests does not list fuzz")
    text = (s.cfg.root / "docs/README.md").read_text()
    begin = s.cursor
    s.type_keys("cat /doc/README.md\n")
    m = s.wait_for(r"\nshell: process \d+ finished with exit status 0\n", timeout=60)
    got = s.serial[begin:m.start()]
    got = got[got.index("\n") + 1:]             # the echoed command line
    if got != text:
        s.fail(f"cat /doc/README.md: {len(got)} characters, the host's file {len(text)}")
    s.wait_for(re.escape(PROMPT))
    readme = (s.cfg.root / "user/data/readme.txt").read_text()
    expect(s, "wc /rd/readme.txt", rf"^\d+ \d+ {len(readme)} /rd/readme.txt")
    out = expect(s, "df", r"^/ +ext2 +rw +block cache: \d+ hits, [1-9]\d* misses\r?$")
    for row in (r"^/rd +ramfs +ro ", r"^/tmp +tmpfs +rw "):
        if not re.search(row, out, re.M):
            s.fail(f"df lacks /{row}/: {out!r}")
    expect(s, "/bin/wc /doc/README.md", rf"^\d+ \d+ {len(text.encode())} /doc/README.md")
    out = command(s, "more /home/hello.txt")      # the built-in reads with readfile
    if "This file was put here on the host by mke2fs" not in out:
        s.fail(f"readfile of a path on the disk: {out!r}")
    command(s, "cd /rd")
    expect(s, "cat readme.txt | wc", rf"^\d+ \d+ {len(readme)}\r?$")
    expect(s, "leakcheck ls /bin", r"LEAKCHECK PASS ls")
    halt(s)
    expect_clean(s, img)


def interop(s, block):
    """Files written in Fable from the shell, at block-byte blocks, read
    back byte for byte by debugfs after halt; e2fsck -fn is clean."""
    img = make_disk(s, block=block, mib=32 if block == 1024 else 64)
    boot_disk(s, img)
    start(s)
    for line in ("mkdir /home/w", "echo hello disk > /home/w/a",
                 "cat /doc/files.md > /home/w/files.md", "cp /doc/storage.md /home/w/st.md",
                 "cp /tests/fuzz /home/w/big", "mkdir /home/w/d",
                 "mv /home/w/st.md /home/w/d/s.md", "ln -s d/s.md /home/w/link",
                 "ln /home/w/a /home/w/hard", "echo more >> /home/w/hard",
                 "rm /home/hello.txt", "mkdir /home/gone", "rmdir /home/gone"):
        if line.startswith("echo"):             # a built-in: no exit status
            out = command(s, line)
            if "shell:" in out:
                s.fail(f"{line!r}: {out!r}")
        else:
            expect(s, line, "finished")
    storage = (s.cfg.root / "docs/storage.md").read_bytes()
    expect(s, "cat /home/w/link | wc", rf"^\d+ \d+ {len(storage)}\r?$")
    expect(s, "cat /home/w/a", r"^hello disk\r?\nmore\r?$")
    halt(s)
    expect_clean(s, img)
    tmp = s.logdir
    want = {
        "/home/w/a": b"hello disk\nmore\n",
        "/home/w/hard": b"hello disk\nmore\n",
        "/home/w/files.md": (s.cfg.root / "docs/files.md").read_bytes(),
        "/home/w/d/s.md": storage,
        "/home/w/big": (s.cfg.build / "user/disk/fuzz").read_bytes(),
        "/home/lies.txt": (s.cfg.root / "disk/root/home/lies.txt").read_bytes(),
    }
    for path, data in want.items():
        if dump(s, img, path, tmp) != data:
            s.fail(f"{path} on the image is not what Fable wrote")
    _, st = host(s, ["debugfs", "-R", "stat /home/w/link", img])
    if 'Fast link dest: "d/s.md"' not in st:
        s.fail(f"/home/w/link is not a link to d/s.md: {st[:200]!r}")
    _, st = host(s, ["debugfs", "-R", "stat /home/w/a", img])
    if not re.search(r"Links: 2\b", st):
        s.fail("/home/w/a does not have two links")
    _, ls = host(s, ["debugfs", "-R", "ls /home", img])
    if "hello.txt" in ls or "gone" in ls:
        s.fail(f"rm and rmdir left names on the image: {ls!r}")


@case(boot=False, timeout=300)
def mount_interop_4k(s):
    """Shell-written files on a 4 KiB-block disk, checked on the host."""
    interop(s, 4096)


@case(boot=False, timeout=300)
def mount_interop_1k(s):
    """Shell-written files on a 1 KiB-block disk, checked on the host."""
    interop(s, 1024)


def crash_byte_run(n, size):
    """The bytes fsync_crash writes in file n (user/tests/fsync_crash.c)."""
    out = bytearray(size)
    for i in range(size):
        x = (((i + 1) * 2654435761) ^ ((n + 1) * 40503)) & 0xFFFFFFFF
        out[i] = (x >> 13 ^ x) & 0xFF
    return bytes(out)


SEEDS = 20


@case(boot=False, timeout=900)
def mount_fsync_crash(s):
    """fsync is durable: fsync_crash writes and fsyncs files (and makes,
    renames and removes others unsynced) on the disk; QEMU is killed
    (SIGKILL) at a random moment after a random fsync returned, for 20
    seeds; each time e2fsck -p repairs the image without a question and
    every file reported fsynced reads back whole with debugfs."""
    pristine = make_disk(s, "pristine", mib=32)
    for seed in range(1, SEEDS + 1):
        rng = random.Random(seed)
        img = s.logdir / f"seed{seed}.img"
        shutil.copy(pristine, img)
        sub = sub_session(s, f"seed{seed}")
        failed = True
        try:
            sub.boot(f"-- fsync_crash /crash {seed}", disk=img)
            sub.wait_line(MOUNTED.format("read-write"), timeout=60)
            stop_after = rng.randrange(1, 6)
            for _ in range(stop_after):
                sub.wait_for(r"^FSYNCED f\d+ \d+$", timeout=60)
            time.sleep(rng.random() * 0.3)
            os.killpg(sub.machine.proc.pid, signal.SIGKILL)
            sub.machine.proc.wait()
            synced = [(int(m[1]), int(m[2])) for _, m in
                      sub.lines_matching(r"^FSYNCED f(\d+) (\d+)$")]
            if sub.lines_matching(r"^FAILED "):
                s.fail(f"seed {seed}: fsync_crash failed a write")
            failed = False
        finally:
            sub.close(keep=failed)
        code, _ = host(s, ["e2fsck", "-p", img], ok=(0, 1))
        host(s, ["e2fsck", "-fn", img])
        for n, size in synced:
            if dump(s, img, f"/crash/f{n}", s.logdir) != crash_byte_run(n, size):
                s.fail(f"seed {seed}: /crash/f{n}, fsynced with {size} bytes, is not intact")
        img.unlink()


def patch(img, offset, data):
    with open(img, "r+b") as f:
        f.seek(offset)
        f.write(data)


def sub_session(s, what):
    """Another boot inside case s (a session boots QEMU once)."""
    return Session(f"{s.name}/{what}", s.cfg, s.remaining())


@case(boot=False, timeout=240)
def mount_damaged(s):
    """A disk without ext2 is left alone, with a log line saying so; a disk
    with an unknown read-only-compatible feature mounts read-only and
    refuses changes; a disk whose group descriptor names a bitmap outside
    the file system is refused at boot with a log line saying why, is not
    written, and the system boots on the RAM disk."""
    img = make_disk(s, mib=16)
    blank = s.logdir / "blank.img"
    with open(blank, "wb") as f:
        f.truncate(8 << 20)
    other, ok = sub_session(s, "blank"), False
    try:
        other.boot("", disk=blank)
        other.wait_line(r".*fs: hda: no ext2 file system this kernel can mount .*; "
                        r"booting without it", timeout=60)
        start(other)
        ok = True
    finally:
        other.close(keep=not ok)

    ro = s.logdir / "ro.img"
    shutil.copy(img, ro)
    patch(ro, 1024 + 100, (0x40000000).to_bytes(4, "little"))  # s_feature_ro_compat
    third, ok = sub_session(s, "ro"), False
    try:
        boot_disk(third, ro, "read-only")
        start(third)
        out = command(third, "echo x > /home/new")
        if "shell: /home/new: cannot write (error -23)" not in out:
            third.fail(f"a read-only disk took a new file: {out!r}")
        expect(third, "cat /home/hello.txt", r".")
        ok = True
    finally:
        third.close(keep=not ok)

    bad = s.logdir / "bad.img"
    shutil.copy(img, bad)
    patch(bad, 4096, (0x7FFFFFF0).to_bytes(4, "little"))   # group 0's block bitmap
    s.boot("", disk=bad)
    s.wait_line(r".*ext2: hda: group descriptor 0 is damaged", timeout=60)
    s.wait_line(r".*fs: hda: the ext2 file system is damaged \(error -14\); booting without it")
    start(s)
    expect(s, "ls -l /readme.txt", r"readme.txt")
    expect(s, "df", r"^/ +ramfs +ro ")
    with open(bad, "rb") as f:
        if f.read(8192)[4096:4100] != (0x7FFFFFF0).to_bytes(4, "little"):
            s.fail("the damaged image was written")


def fsstress_content(owner, gen, size):
    """The bytes fsstress writes for (owner, gen) in a file of size bytes
    (content() in user/tests/fsstress.c): a 64-byte record repeated."""
    pat = bytes((owner * 31 + gen * 17 + j * 7 + (gen >> 8)) & 0xFF for j in range(16, 64))
    head = struct.pack("<III", owner & 0xFFFFFFFF, gen, size)
    n = (size + 63) // 64
    return b"".join(struct.pack("<I", k) + head + pat for k in range(n))[:size]


def fsstress(s, seconds, mib, smp=2, block=4096, extra=""):
    """Boot the shell on a fresh disk, run fsstress for seconds, halt;
    then e2fsck -fn must find the disk clean, and what debugfs dumps of
    the test's directory must be exactly the guest's manifest: the same
    directories, the same files, each with the bytes its line names."""
    img = make_disk(s, mib=mib, block=block)
    boot_disk(s, img, smp=smp)
    start(s)
    s.type_keys(f"/tests/fsstress /stress {seconds} 1 {extra}\n")
    m = s.wait_for(r"^FSSTRESS (PASS|FAIL)$", timeout=seconds + 120)
    fails = [mm.group(0) for _, mm in s.lines_matching(r"^FSSTRESS FAIL .*")]
    if m.group(1) != "PASS" or fails:
        s.fail(f"fsstress: {fails[:3] or m.group(0)}")
    s.wait_for(re.escape(PROMPT), timeout=30)
    halt(s)
    expect_clean(s, img)
    dirs = {mm[1] for _, mm in s.lines_matching(r"^FSS D (\S+)$")}
    files = {mm[1]: (int(mm[2]), int(mm[3]), int(mm[4]))
             for _, mm in s.lines_matching(r"^FSS F (\S+) (-?\d+) (\d+) (\d+)$")}
    out = s.logdir / "rdump"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    host(s, ["debugfs", "-R", f"rdump /stress {out}", img])
    got_dirs, got_files = set(), set()
    for root, _, names in os.walk(out / "stress"):
        rel = "/" + os.path.relpath(root, out)
        got_dirs.add(rel)
        got_files.update(f"{rel}/{n}" for n in names)
    if got_dirs != dirs:
        s.fail(f"directories on the disk but not in the manifest: {sorted(got_dirs - dirs)[:4]}; "
               f"the reverse: {sorted(dirs - got_dirs)[:4]}")
    if got_files != set(files):
        s.fail(f"files on the disk but not in the manifest: {sorted(got_files - set(files))[:4]}; "
               f"the reverse: {sorted(set(files) - got_files)[:4]}")
    for path, (owner, gen, size) in files.items():
        if (out / path[1:]).read_bytes() != fsstress_content(owner, gen, size):
            s.fail(f"{path} on the disk is not what the guest wrote (owner {owner} gen {gen})")
    if len(files) < 100:
        s.fail(f"only {len(files)} files survived: the run did too little")


@case(boot=False, timeout=400, once=True)
def mount_fsstress(s):
    """Issue #16's concurrency test: 8 tasks of 4 threads each create,
    write, read back, rename, link and remove files and directories on
    the disk for a minute, privately and in shared directories, and check
    every byte they read (user/tests/fsstress.c); then e2fsck -fn finds
    the halted disk clean and every file the guest says it left reads
    back from the image as written, with nothing else there."""
    fsstress(s, 60, 128)


@case(boot=False, timeout=200)
def mount_fsstress_short(s):
    """The same for 5 seconds, at every memory size, on a disk of 1 KiB
    blocks (files of 300 KB reach the double indirect block) and under
    misbehave mode 3 (random yields: other interleavings)."""
    fsstress(s, 5, 128, block=1024, extra="m3")


@case(boot=False, timeout=300)
def mount_halt_writers(s):
    """halt while 31 threads are writing (fsstress ... halt): what they
    change after the write-back must not reach a disk marked clean, so
    e2fsck -fn finds the image clean, for 3 seeds."""
    for seed in (1, 2, 3):
        img = make_disk(s, f"seed{seed}", mib=64)
        sub, ok = sub_session(s, f"seed{seed}"), False
        try:
            boot_disk(sub, img, smp=2)
            start(sub)
            sub.type_keys(f"/tests/fsstress /stress 3 {seed} halt\n")
            m = sub.wait_for(r"^FSSTRESS halting w0$", timeout=60)
            if re.search(r"^FSSTRESS FAIL ", sub.serial[:m.start()], re.M):
                sub.fail("fsstress failed before the halt")
            code = sub.wait_exit(60)    # after it, changes fail with -EROFS
            if code != HALTED:
                sub.fail(f"halt: QEMU's exit status {code}, not {HALTED}")
            ok = True
        finally:
            sub.close(keep=not ok)
        expect_clean(s, img)
        img.unlink()


@case(boot=False, timeout=300)
def debug_kernel_fsstress(s):
    """fsstress for 5 seconds on the debug kernel (make DEBUG=1), whose
    lock-order checker panics at the first pair of locks taken both ways
    round and whose ASSERT_HELDs check every "caller holds X"."""
    debug_kernel(s)
    fsstress(s, 5, 128)
    if "invariant violated" in s.serial:
        s.fail("an invariant check failed")
