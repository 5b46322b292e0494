"""Scripted tests of the user libraries as other people's programs see
them: a program written against the Pebbles user-library API only
(tests/fixtures/pebbles_api.c) compiles against Fable's headers and
links against its libraries, under exactly the build contract of
docs/abi/image.md §2, unmodified."""
import subprocess

from tests.runner import case

# docs/abi/image.md §2, word for word, plus the warnings our code keeps.
CONTRACT_CFLAGS = (
    "-m32 -nostdinc -fno-builtin -fno-stack-protector -fno-omit-frame-pointer "
    "-fno-pic -fcf-protection=none --std=gnu99 -O0 -mpreferred-stack-boundary=2 "
    "-fno-strict-aliasing -fwrapv -fno-delete-null-pointer-checks "
    "-D__STDC_NO_ATOMICS__").split()
WARN = ["-Wall", "-Wextra", "-Werror"]
OBJCOPY = ["-R", ".comment", "-R", ".note", "-R", ".note.gnu.property"]
LDFLAGS = "-static -Ttext 1000000 --entry=_main -melf_i386".split()
LIBS = ["syscall", "thread", "autostack", "stdio", "stdlib", "string", "malloc", "x86"]


def step(s, what, argv):
    """Run one build step; fail with its complaint if it does not succeed."""
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=s.remaining())
    with open(s.logdir / "output.log", "a") as f:
        f.write(f"$ {' '.join(argv)}\n{p.stdout}")
    if p.returncode or "warning" in p.stdout:
        lines = [ln for ln in p.stdout.splitlines() if ln.strip()] or ["no output"]
        s.fail(f"{what}: {lines[0]}")


@case(boot=False, timeout=60)
def userlib_contract_link(s):
    """The Pebbles API program builds as docs/abi/image.md §2 says, every symbol found."""
    root, lib = s.cfg.root, s.cfg.build / "user" / "lib"
    obj, prog = s.logdir / "pebbles_api.o", s.logdir / "pebbles_api"
    step(s, "compile", ["gcc", *CONTRACT_CFLAGS, *WARN, f"-I{s.cfg.build}/user/include", "-c",
                        str(root / "tests/fixtures/pebbles_api.c"), "-o", str(obj)])
    step(s, "objcopy", ["objcopy", *OBJCOPY, str(obj)])
    archives = [str(lib / f"lib{name}.a") for name in LIBS]
    step(s, "link", ["ld", *LDFLAGS, "-o", str(prog), str(obj), str(lib / "crt0.o"),
                     "--start-group", *archives, "--end-group"])
    step(s, "strip", ["strip", str(prog)])
