"""Scripted tests of the boot programs and of memory sizes: the shell
started by init runs programs and built-ins; the frame totals follow the
machine's memory."""
import re

from tests.runner import case

PROMPT = "[410-shell]$ "


@case(boot=True, timeout=60)
def shell_runs_programs(s):
    """init starts the shell; ls lists the RAM disk; a missing program's
    child exits -1 and the shell says so; exit restarts the shell."""
    s.wait_for(r"Starting shell")
    s.wait_for(re.escape(PROMPT))
    s.type_keys("ls\n")
    s.wait_for(r"readme\.txt")
    s.type_keys("nosuchprogram\n")
    s.wait_for(r"shell: process \d+ finished with exit status -1")
    s.type_keys("exit\n")
    s.wait_for(r"Shell exited with status 0; starting it back up\.\.\.")
    s.wait_for(r"Starting shell", timeout=10)
    screen = "\n".join(s.screen())
    if "finished with exit status -1" not in screen:
        s.fail("the exit status line is not on the screen")


def ramdisk_frames(s):
    """The frames the RAM disk's bytes take above 16 MiB (boot log), which
    are not counted among the frames (docs/memory.md, "The RAM disk")."""
    m = s.wait_for(r"mm: RAM disk (\d+) KiB at ")
    return int(m.group(1)) // 4


@case(boot=False, timeout=30)
def frames_256m(s):
    """256 MiB: user frames are the RAM above 16 MiB, less the RAM disk's
    bytes and what the BIOS reserves at the top."""
    s.boot(mem=256)             # whatever MEM= the rest of the suite has
    s.wait_for(r"mm: frames total=\d+ free=")
    total = int(re.search(r"frames total=(\d+) free=", s.serial).group(1))
    want = (256 - 16) * 256 - ramdisk_frames(s)
    if not want - 64 <= total <= want:
        s.fail(f"{total} frames at 256 MiB, want about {want}")


@case(boot=False, timeout=60)
def frames_3g(s):
    """3 GiB: the frame allocator takes all of it, at no boot-time cost."""
    s.boot(mem=3072)
    s.wait_for(r"mm: frames total=\d+ free=")
    total = int(re.search(r"frames total=(\d+) free=", s.serial).group(1))
    want = (3072 - 16) * 256 - ramdisk_frames(s)
    if not want - 256 <= total <= want:
        s.fail(f"{total} frames at 3 GiB, want about {want}")
    s.wait_for(r"fable: ready")


# ---- a CPU without SSE -------------------------------------------------

NO_SSE_CPU = "pentium2"     # P6 with MMX: global pages, but no SSE


@case(boot=False, timeout=30)
def no_sse_page_zero(s):
    """On a CPU without SSE, page_zero (kernel/arch/x86/zero.S) falls back
    to rep stosl: the same KTEST passes as on QEMU's default CPU."""
    s.boot("ktest=mm_page_zero", cpu=NO_SSE_CPU)
    s.expect_pass("KTEST PASS mm_page_zero")


@case(boot=False, timeout=60)
def no_sse_new_pages(s):
    """On a CPU without SSE, every new page of a program reads as zeros
    (user/tests/pages_zero.c), with nothing leaked."""
    s.boot_test("pages_zero", cpu=NO_SSE_CPU)
    s.expect_test_pass("pages_zero")
