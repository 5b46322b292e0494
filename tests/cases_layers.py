"""The kernel reads bottom-up (docs/boot.md, "The layers").

layers_include_down: no file of kernel/ includes a header of a layer
above its own. The layers, lowest first, are the folders of LAYERS;
kernel/upcall.h, the one header of upward calls, sits below them all,
and folders outside LAYERS (the tests') are not checked. The includes
that climb on purpose are listed in CLIMBS, each with its reason, and
docs/boot.md names them too.

boot_steps_documented: docs/boot.md's step table names every function
that kernel_main (kernel/boot/main.c) calls.

The tests run on the host, without QEMU.
"""
import re

from tests.runner import case

LAYERS = ["arch", "lib", "sync", "mm", "proc", "dev", "fs", "net", "syscall", "boot"]

# (file, included header): the includes that climb on purpose.
CLIMBS = {
    # panic() and assert() are for every layer, the lowest included.
    ("kernel/arch/x86/trap.c", "lib/panic.h"),
    ("kernel/arch/x86/gdt.c", "lib/panic.h"),
    # The loader reads programs from the RAM disk, a table of files in
    # kernel memory that needs nothing above it.
    ("kernel/proc/loader.c", "dev/ramdisk.h"),
}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
C_KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof"}


def rank(path):
    """The layer of a path relative to kernel/ ("proc/sched.h"); -1 for
    a header at kernel/'s top (upcall.h); None if it is in no layer."""
    parts = path.split("/")
    if len(parts) == 1:
        return -1
    return LAYERS.index(parts[0]) if parts[0] in LAYERS else None


def climbing_includes(root):
    """Every 'file: header' include of kernel/ that climbs a layer and is
    not in CLIMBS."""
    kernel = root / "kernel"
    bad = []
    for f in sorted(kernel.rglob("*")):
        if f.suffix not in (".c", ".h", ".S"):
            continue
        own = rank(str(f.relative_to(kernel)))
        if own is None:
            continue
        name = str(f.relative_to(root))
        for inc in INCLUDE_RE.findall(f.read_text()):
            theirs = rank(inc)
            if theirs is not None and theirs > own and (name, inc) not in CLIMBS:
                bad.append(f"{name}: {inc}")
    return bad


def kernel_main_calls(root):
    """The names of the functions kernel_main calls, in order."""
    src = (root / "kernel" / "boot" / "main.c").read_text()
    body = src[src.index("void kernel_main("):]
    body = body[body.index("{"):body.index("\n}")]
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    names = []
    for n in re.findall(r"\b([A-Za-z_]\w*)\s*\(", body):
        if n not in C_KEYWORDS and n not in names:
            names.append(n)
    return names


def undocumented_boot_steps(root):
    """The calls of kernel_main that boot.md's step table leaves out."""
    text = (root / "docs" / "boot.md").read_text()
    section = text[text.index("\n## kernel_main"):]
    section = section[:section.index("\n## ", 1)]
    table = "\n".join(line for line in section.splitlines() if line.startswith("| "))
    spans = re.findall(r"`([^`]*)`", table)
    named = {n for span in spans for n in re.findall(r"\b([A-Za-z_]\w*)\(", span)}
    return [n for n in kernel_main_calls(root) if n not in named]


@case(boot=False, timeout=10)
def layers_include_down(s):
    """No kernel file includes a header from a layer above its own."""
    bad = climbing_includes(s.cfg.root)
    if bad:
        s.fail(f"{len(bad)} includes climb: {'; '.join(bad[:8])}")


@case(boot=False, timeout=10)
def boot_steps_documented(s):
    """docs/boot.md's step table lists every call of kernel_main."""
    calls = kernel_main_calls(s.cfg.root)
    if len(calls) < 10:
        s.fail(f"found only {calls} in kernel_main: the parser is broken")
    missing = undocumented_boot_steps(s.cfg.root)
    if missing:
        s.fail(f"boot.md's step table leaves out: {', '.join(missing)}")
