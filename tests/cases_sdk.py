"""Scripted tests of programs from outside the tree (docs/userlib.md,
"Programs from outside the tree"): tools/fable-cc builds a program kept
in a temporary directory outside the repository into a valid Fable ELF,
which runs on Fable from the RAM disk (make RAMDISK_ADD=dir); `make sdk`
installs an SDK that builds it as well; `make disk` makes an ext2 image
that host tools find clean, holding exactly the files it should."""
import dataclasses
import filecmp
import os
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

from tests.runner import case

PROG = "sdkhello"
ARG = "outside"

# The program: C, assembly and a local header, using the libraries the
# way another person's program would (stdio, malloc, threads, 64-bit
# division, argv); it prints the user-test verdict line itself.
SOURCES = {
    "twice.h": "int twice(int x);\n",
    "twice.S": """#include <syscall_int.h>
	.globl twice
twice:
	movl 4(%esp), %eax
	addl %eax, %eax
	ret
""",
    "sdkhello.c": """#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include "twice.h"

static void *worker(void *arg)
{
	return (void *)twice((int)arg);
}

int main(int argc, char *argv[])
{
	volatile long long big = 1000000000000LL;
	char *p = malloc(64);
	void *status = 0;
	int ok = p != NULL;
	int tid;

	if (ok)
		snprintf(p, 64, "%%s", argc > 1 ? argv[1] : "");
	ok = ok && strcmp(p, "%(arg)s") == 0 && argc == 2;
	ok = ok && big / 7 == 142857142857LL && twice(4) == 8;
	ok = ok && thr_init(4096) == 0;
	tid = ok ? thr_create(worker, (void *)21) : -1;
	ok = ok && tid > 0 && thr_join(tid, &status) == 0 && (int)status == 42;
	free(p);
	printf("TEST %%s %(prog)s\\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
""" % {"arg": ARG, "prog": PROG},
}
INPUTS = ["sdkhello.c", "twice.S"]
WARN = ["-Wall", "-Wextra", "-Werror"]
SBIN = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


def run(s, argv, what, cwd=None, env=None, ok=True):
    """Run a host command, log it; fail with its first line unless its
    status is as wanted (ok: 0, else non-zero). Returns its output."""
    env = dict(os.environ, PATH=SBIN, **(env or {}))
    env.pop("FABLE_SDK", None)
    try:
        p = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=max(s.remaining(), 1))
    except FileNotFoundError:
        s.fail(f"{what}: no program {argv[0]}")
    with open(s.logdir / "output.log", "a") as f:
        f.write(f"$ {' '.join(str(a) for a in argv)}\n{p.stdout}")
    if (p.returncode == 0) != ok:
        first = ([ln for ln in p.stdout.splitlines() if ln.strip()] or ["no output"])[0]
        s.fail(f"{what}: exit {p.returncode}: {first}" if ok else f"{what} did not fail")
    return p.stdout


def outside_dir(s):
    """A temporary directory outside the tree, holding the program's
    sources; the caller removes it."""
    d = Path(tempfile.mkdtemp(prefix="fable-sdk-test."))
    if d.resolve().is_relative_to(s.cfg.root.resolve()):
        s.fail(f"{d} is inside the tree")
    for name, text in SOURCES.items():
        (d / name).write_text(text)
    return d


def fable_cc(s, cc_path, src, out, *opts, cc="gcc"):
    """Build the program in src (the working directory) into out."""
    run(s, [cc_path, *opts, *WARN, "-o", out, *INPUTS], f"{cc} fable-cc", cwd=src,
        env={"CC": cc})


def elf_facts(path):
    """(e_type, e_machine, e_entry, {section name: (sh_addr, sh_type)})
    of a 32-bit little-endian ELF file; None if it is not one."""
    data = Path(path).read_bytes()
    if data[:6] != b"\x7fELF\x01\x01":
        return None
    e_type, e_machine, _, e_entry = struct.unpack_from("<HHII", data, 16)
    shoff, = struct.unpack_from("<I", data, 32)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 46)
    heads = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize)
             for i in range(shnum)]
    strtab = heads[shstrndx][4]
    def name(off):
        return data[strtab + off:data.index(b"\0", strtab + off)].decode()
    return e_type, e_machine, e_entry, {name(h[0]): (h[3], h[1]) for h in heads}


def check_program(s, path, symbols):
    """path is a Fable program (docs/abi/image.md §1): a 32-bit i386
    ET_EXEC with .text at 0x1000000; with symbols, its entry is _main and
    no symbol is undefined; without, it is stripped."""
    facts = elf_facts(path)
    if facts is None:
        s.fail(f"{path.name}: not a 32-bit little-endian ELF file")
    e_type, e_machine, entry, sections = facts
    if (e_type, e_machine) != (2, 3):
        s.fail(f"{path.name}: type {e_type}, machine {e_machine}: not ET_EXEC for EM_386")
    if sections.get(".text", (None,))[0] != 0x1000000:
        s.fail(f"{path.name}: .text is not at 0x1000000: {sections.get('.text')}")
    if not symbols:
        if ".symtab" in sections:
            s.fail(f"{path.name}: not stripped")
        return
    nm = run(s, ["nm", path], "nm")
    mains = [ln.split()[0] for ln in nm.splitlines() if ln.endswith(" T _main")]
    if len(mains) != 1 or int(mains[0], 16) != entry:
        s.fail(f"{path.name}: entry {entry:#x} is not _main ({mains})")
    undefined = run(s, ["nm", "-u", path], "nm -u").split()
    if undefined:
        s.fail(f"{path.name}: undefined symbols {undefined[:4]}")


def compilers():
    return ["gcc"] + (["clang"] if shutil.which("clang") else [])


@case(boot=False, timeout=120)
def sdk_fable_cc(s):
    """tools/fable-cc, run in a directory outside the tree, builds a C +
    assembly program into a Fable ELF with gcc and clang: stripped by
    default, with _main as entry and no undefined symbol under -g; it
    refuses an option outside the contract; -c leaves objects."""
    src = outside_dir(s)
    try:
        tool = s.cfg.root / "tools/fable-cc"
        for cc in compilers():
            fable_cc(s, tool, src, f"{PROG}-{cc}", cc=cc)
            check_program(s, src / f"{PROG}-{cc}", symbols=False)
            fable_cc(s, tool, src, f"{PROG}-{cc}-g", "-g", cc=cc)
            check_program(s, src / f"{PROG}-{cc}-g", symbols=True)
        run(s, [tool, "-O2", "-o", "x", *INPUTS], "fable-cc -O2", cwd=src, ok=False)
        run(s, [tool, "-c", *INPUTS], "fable-cc -c", cwd=src)
        if not (src / "sdkhello.o").exists() or not (src / "twice.o").exists():
            s.fail("fable-cc -c left no sdkhello.o and twice.o")
    finally:
        shutil.rmtree(src)


@case(boot=False, timeout=600)
def sdk_program_runs(s):
    """The program built by tools/fable-cc outside the tree runs on Fable:
    `make RAMDISK_ADD=dir` builds a kernel whose RAM disk also holds it
    (under build/sdk-ramdisk), and it passes under leakcheck."""
    src = outside_dir(s)
    try:
        (src / "ramdisk").mkdir()
        fable_cc(s, s.cfg.root / "tools/fable-cc", src, f"ramdisk/{PROG}")
        b = f"{s.cfg.make_b}/sdk-ramdisk"
        code, out = s.make("-j2", f"B={b}", f"RAMDISK_ADD={src}/ramdisk")
        if code:
            s.fail(f"make RAMDISK_ADD failed: {out.strip().splitlines()[-1:]}")
        s.cfg = dataclasses.replace(s.cfg, build=s.cfg.build / "sdk-ramdisk")
        s.boot_test(f"{PROG} {ARG}")
        s.expect_test_pass(PROG)
    finally:
        shutil.rmtree(src)


@case(boot=False, timeout=180)
def sdk_install(s):
    """`make sdk PREFIX=dir` installs include/, lib/ and bin/fable-cc;
    the installed copy, moved elsewhere, builds the program from its own
    files (not the tree's) into the same bytes as the tree's fable-cc."""
    src = outside_dir(s)
    try:
        code, out = s.make(f"B={s.cfg.make_b}", "sdk", f"PREFIX={src}/installed")
        if code:
            s.fail(f"make sdk failed: {out.strip().splitlines()[-1:]}")
        prefix = src / "moved"
        (src / "installed").rename(prefix)
        for f in ("README", "bin/fable-cc", "include/syscall.h", "include/fable/syscall_int.h",
                  "lib/crt0.o", "lib/libsyscall.a", "lib/libthread.a", "lib/contract.sh"):
            if not (prefix / f).is_file():
                s.fail(f"make sdk did not install {f}")
        for cc in compilers():
            fable_cc(s, s.cfg.root / "tools/fable-cc", src, f"tree-{cc}", cc=cc)
            log = run(s, [prefix / "bin/fable-cc", "-v", *WARN, "-o", f"sdk-{cc}", *INPUTS],
                      f"installed fable-cc ({cc})", cwd=src, env={"CC": cc})
            if str(s.cfg.root) in log or f"-I{prefix}/include" not in log:
                s.fail(f"the installed fable-cc did not use {prefix}: {log.splitlines()[0]}")
            check_program(s, src / f"sdk-{cc}", symbols=False)
            if not filecmp.cmp(src / f"tree-{cc}", src / f"sdk-{cc}", shallow=False):
                s.fail(f"the installed SDK's program differs from the tree's ({cc})")
    finally:
        shutil.rmtree(src)


def expected_disk(s, add):
    """What the image's tree must hold: {path: host file with its bytes},
    from the sources (not from make disk's staging directory)."""
    root, build = s.cfg.root, s.cfg.build
    want = {}
    for f in (root / "disk/root").rglob("*"):
        if f.is_file():
            want["/" + str(f.relative_to(root / "disk/root"))] = f
    for c in (root / "user/bin").glob("*.c"):
        want[f"/bin/{c.stem}"] = build / "user/disk" / c.stem
    for c in (root / "user/tests").glob("*.c"):
        if c.stem != "testlib":
            want[f"/tests/{c.stem}"] = build / "user/disk" / c.stem
    for f in (root / "docs").rglob("*"):
        if f.is_file():
            want["/doc/" + str(f.relative_to(root / "docs"))] = f
    for f in add.rglob("*"):
        if f.is_file():
            want["/" + str(f.relative_to(add))] = f
    return want


def check_image(s, image, block, want, tmp):
    """image is a clean ext2 revision-1 file system with block-byte blocks
    holding exactly the files of want, byte for byte."""
    run(s, ["e2fsck", "-fn", image], "e2fsck -fn")
    head = run(s, ["dumpe2fs", "-h", image], "dumpe2fs")
    for line in ("Filesystem revision #:    1 (dynamic)", f"Block size:               {block}"):
        if line not in head:
            s.fail(f"dumpe2fs -h: no line {line!r}")
    listing = run(s, ["debugfs", "-R", "ls -l /bin", image], "debugfs ls")
    if f" {PROG}\n" not in listing:
        s.fail(f"debugfs ls -l /bin does not list {PROG}")
    out = tmp / f"rdump-{block}"
    out.mkdir()
    run(s, ["debugfs", "-R", f"rdump / {out}", image], "debugfs rdump")
    got = {"/" + str(f.relative_to(out)) for f in out.rglob("*") if f.is_file()}
    if got != set(want):
        extra, missing = sorted(got - set(want)), sorted(set(want) - got)
        s.fail(f"the image holds {extra[:3]} it should not, lacks {missing[:3]}")
    for path, host in sorted(want.items()):
        if not filecmp.cmp(out / path.lstrip("/"), host, shallow=False):
            s.fail(f"{path} on the image differs from {host}")


@case(boot=False, timeout=240)
def disk_image(s):
    """`make disk ADD=dir` (4 KiB and 1 KiB blocks) makes an image that
    e2fsck finds clean, whose files are exactly disk/root/, the programs
    in /bin and /tests, the book in /doc and dir's files in their places,
    byte for byte (debugfs rdump); the same inputs give the same image;
    a missing ADD directory and a bad block size fail."""
    tmp = Path(tempfile.mkdtemp(prefix="fable-disk-test."))
    try:
        add = tmp / "add"
        (add / "bin").mkdir(parents=True)
        (add / "home/deep/er").mkdir(parents=True)
        (add / "home/deep/er/notes.txt").write_bytes(bytes(range(256)) * 40)
        (add / "bin" / PROG).write_bytes(b"\x7fELF not really" * 100)
        want = expected_disk(s, add)
        b = f"B={s.cfg.make_b}"
        for block, mib, names in ((4096, 64, ("a.img", "b.img")), (1024, 16, ("c.img",))):
            for name in names:
                code, out = s.make(b, "disk", f"DISK={tmp / name}", f"ADD={add}",
                                   f"BLOCK={block}", f"DISK_MB={mib}")
                if code:
                    s.fail(f"make disk BLOCK={block} failed: {out.strip().splitlines()[-1:]}")
            check_image(s, tmp / names[0], block, want, tmp)
            size = (tmp / names[0]).stat().st_size
            if size != mib << 20:
                s.fail(f"{names[0]} has {size} bytes, not {mib} MiB")
        if not filecmp.cmp(tmp / "a.img", tmp / "b.img", shallow=False):
            s.fail("two make disk runs on the same inputs made different images")
        for bad in (f"ADD={tmp}/missing", "BLOCK=2048"):
            if s.make(b, "disk", f"DISK={tmp / 'bad.img'}", bad)[0] == 0:
                s.fail(f"make disk {bad} did not fail")
    finally:
        shutil.rmtree(tmp)


@case(boot=False, timeout=300)
def sdk_program_on_disk(s):
    """The whole path of docs/userlib.md: the program built by
    tools/fable-cc outside the tree, put on the disk image with `make disk
    ADD=dir` (as /bin/sdkhello: the RAM disk does not have it), runs from
    the shell by its bare name (the search path) and by its path, and
    under leakcheck, which execs it by name (exec's fallback to /bin)."""
    from tests.cases_mount import boot_disk, expect, make_disk, names
    from tests.cases_shell import command, start
    src = outside_dir(s)
    try:
        (src / "out/bin").mkdir(parents=True)
        fable_cc(s, s.cfg.root / "tools/fable-cc", src, f"out/bin/{PROG}")
        img = make_disk(s, add=src / "out")
    finally:
        shutil.rmtree(src)
    boot_disk(s, img)
    start(s)
    if PROG in names(command(s, "ls /rd")):
        s.fail(f"the RAM disk has {PROG}: the test would not show the disk's")
    expect(s, f"{PROG} {ARG}", f"TEST PASS {PROG}")
    expect(s, f"/bin/{PROG} {ARG}", f"TEST PASS {PROG}")
    expect(s, f"leakcheck {PROG} {ARG}", f"LEAKCHECK PASS {PROG}")
