"""The segment registers on the way into and out of the kernel
(docs/interrupts.md, "Segment registers"). (The runner loads every
tests/cases_*.py.)
"""
import re
import subprocess

from tests.cases_fuzz import debug_kernel_run
from tests.runner import case

# The only functions that may name %fs or %gs: the entry and exit
# (kernel/arch/x86/vectors.S) and the boot's first load (gdt.c).
FS_GS_OWNERS = {"trap_common", "trap_return", "load_frame_segs", "gdt_init"}
FUNC = re.compile(r"^[0-9a-f]+ <([^>]+)>:$")


@case(boot=False, timeout=60)
def kernel_ignores_fs_gs(s):
    """The kernel keeps the interrupted code's %fs and %gs, so no kernel
    instruction may use them (an %fs:/%gs: operand, a load, a push):
    only the entry and exit code and gdt_init() name them."""
    elf = s.cfg.build / "fable.elf"
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(elf)],
                         capture_output=True, text=True, check=True).stdout
    func, bad = None, []
    for line in out.splitlines():
        if m := FUNC.match(line):
            func = m[1]
        elif re.search(r"%[fg]s\b", line) and func not in FS_GS_OWNERS:
            bad.append(f"{func}: {line.strip()}")
    if not func:
        s.fail(f"objdump found no functions in {elf}")
    if bad:
        s.fail(f"{len(bad)} instructions use %fs or %gs: {bad[:3]}")


@case(boot=False, timeout=300)
def debug_kernel_segs(s):
    """seg_selectors on the debug kernel, which asserts on every trap that
    %ds and %es hold SEL_UDATA (trap()) and on every return that the kernel
    ran with it (trap_return): what QEMU's lax data accesses cannot show."""
    debug_kernel_run(s, "seg_selectors")
