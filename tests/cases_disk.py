"""Scripted tests of the disk driver (docs/storage.md): each makes a raw
image on the host, fills parts of it with a pattern, boots one of the
KTESTs of kernel/test/ktest_ata.c with the image as the first IDE disk,
and, after the power is off, reads back from the image what Fable wrote.
Also: a boot without a disk, lspci, and the clock against the host's."""
import re
import time

from tests.runner import case, check
from tests.cases_shell import command, start

SECTOR = 512
LBA28_END = 1 << 28
HOST_RUN, HOST_TAIL = 2048, 64            # kernel/test/ktest_ata.c
FABL_AT, FABL_RUN, FABL_TAIL = 4096, 600, 32


def pattern(tag, s):
    """Sector s under tag, as ktest_ata.c's pattern() builds it."""
    head = bytes((s >> (8 * i)) & 0xFF for i in range(4)) + tag.encode()
    return head + bytes((s * 13 + i * 7 + ord(tag[0])) & 0xFF for i in range(8, SECTOR))


def runs(nsectors):
    """The host's runs of "HOST" sectors: (first, count)."""
    r = [(0, HOST_RUN), (nsectors - HOST_TAIL, HOST_TAIL)]
    if nsectors >= LBA28_END + 8:
        r.append((LBA28_END - 8, 16))
    return r


def make_image(s, nsectors):
    """A sparse image of nsectors with the host's sectors written."""
    path = s.logdir / "disk.img"
    with open(path, "wb") as f:
        f.truncate(nsectors * SECTOR)
        for first, count in runs(nsectors):
            f.seek(first * SECTOR)
            f.write(b"".join(pattern("HOST", first + k) for k in range(count)))
    return path


def expect_sectors(s, f, first, count, tag):
    """Sectors [first, first + count) of the image f hold tag's pattern."""
    f.seek(first * SECTOR)
    data = f.read(count * SECTOR)
    for k in range(count):
        got = data[k * SECTOR:(k + 1) * SECTOR]
        if got != pattern(tag, first + k):
            what = "zeros" if got == bytes(SECTOR) else repr(got[:8])
            s.fail(f"image sector {first + k} holds {what}, not {tag}'s pattern")


def expect_zero(s, f, sector):
    f.seek(sector * SECTOR)
    if f.read(SECTOR) != bytes(SECTOR):
        s.fail(f"image sector {sector} was written, and nothing should have been")


def check_image(s, path, nsectors):
    """What ata_disk wrote is in the image, and nothing beside it."""
    with open(path, "rb") as f:
        expect_sectors(s, f, FABL_AT, FABL_RUN, "FABL")
        expect_sectors(s, f, nsectors - FABL_TAIL, FABL_TAIL, "FABL")
        expect_sectors(s, f, nsectors - HOST_TAIL, HOST_TAIL - FABL_TAIL, "HOST")
        expect_sectors(s, f, 0, HOST_RUN, "HOST")
        expect_zero(s, f, FABL_AT - 1)
        expect_zero(s, f, FABL_AT + FABL_RUN)
        if nsectors >= LBA28_END + 8:
            expect_sectors(s, f, LBA28_END - 4, 8, "FABL")
            expect_sectors(s, f, LBA28_END - 8, 4, "HOST")
            expect_sectors(s, f, LBA28_END + 4, 4, "HOST")


def disk_round(s, nsectors, mode, opts=""):
    """Boot ata_disk on a fresh image; the boot log names the disk as
    IDENTIFY describes it, and the image holds Fable's sectors after."""
    path = make_image(s, nsectors)
    s.boot(f"ktest=ata_disk ata.sectors={nsectors} {opts}".strip(), disk=path)
    s.wait_line(rf".*ata: hda: QEMU HARDDISK, {nsectors} sectors, lba48, {mode}")
    s.expect_pass("KTEST PASS ata_disk")
    check_image(s, path, nsectors)


@case(boot=False, timeout=60, drives="ata_disk")
def disk_dma(s):
    """A 64 MiB disk by DMA: capacity, the host's sectors read in pieces
    of many sizes into buffers at many offsets, requests past the end
    refused, Fable's sectors written, flushed, and found on the host."""
    disk_round(s, 131072, "dma")


@case(boot=False, timeout=60)
def disk_pio(s):
    """The same with ata=pio: every transfer by PIO."""
    disk_round(s, 131072, "pio", "ata=pio")


@case(boot=False, timeout=60)
def disk_lba48(s):
    """A 200 GiB sparse image: sectors on both sides of 2^28, read and
    written in single requests, take the 48-bit commands."""
    disk_round(s, 200 * 2**30 // SECTOR, "dma")


def timeout_round(s, opts=""):
    """ata_timeout: a read whose interrupt never comes ends in -EIO after
    the driver's deadline, and the disk works again after its reset."""
    path = make_image(s, 131072)
    s.boot(f"ktest=ata_timeout {opts}".strip(), disk=path)
    s.wait_line(r".*ata: hda: read at sector 8: no answer; resetting|"
                r".*ata: hda: DMA read at sector 8: no answer; resetting", timeout=20)
    s.expect_pass("KTEST PASS ata_timeout")


@case(boot=False, timeout=60, drives="ata_timeout")
def disk_timeout_dma(s):
    """A silent disk by DMA: -EIO after the deadline, then a reset."""
    timeout_round(s)


@case(boot=False, timeout=60)
def disk_timeout_pio(s):
    """A silent disk by PIO: -EIO after the deadline, then a reset."""
    timeout_round(s, "ata=pio")


BLKDEBUG_RULES = """\
[inject-error]
event = "read_aio"
errno = "5"
sector = "100"

[inject-error]
event = "write_aio"
errno = "5"
sector = "5000"
"""


def errors_round(s, opts=""):
    """ata_errors, on an image behind QEMU's blkdebug filter that fails
    the reads of sector 100 and the writes of sector 5000: those
    requests are -EIO with the drive's status and error logged, the
    others work, and the bad write leaves the image alone."""
    path = make_image(s, 131072)
    rules = s.logdir / "blkdebug.conf"
    rules.write_text(BLKDEBUG_RULES)
    s.boot(f"ktest=ata_errors {opts}".strip(), disk=f"blkdebug:{rules}:{path}")
    s.wait_line(r".*ata: hda: (DMA )?read at sector 96: status [0-9a-f]1 error [0-9a-f]{2}")
    s.expect_pass("KTEST PASS ata_errors")
    with open(path, "rb") as f:
        expect_sectors(s, f, 5001, 8, "FABL")


@case(boot=False, timeout=60, drives="ata_errors")
def disk_errors_dma(s):
    """Bad sectors by DMA: -EIO for the requests that touch them."""
    errors_round(s)


@case(boot=False, timeout=60)
def disk_errors_pio(s):
    """Bad sectors by PIO: -EIO for the requests that touch them."""
    errors_round(s, "ata=pio")


@case(boot=False, timeout=60, drives="ata_concurrent")
def disk_concurrent(s):
    """Four kernel threads write, read back and reread their own runs of
    sectors at the same time; every byte comes back."""
    path = make_image(s, 131072)
    s.boot("ktest=ata_concurrent", disk=path)
    s.expect_pass("KTEST PASS ata_concurrent")


@case(cmdline="ktest=ata_none", timeout=30)
def disk_none(s):
    """Without a disk the kernel boots, says so and registers none (QEMU's
    empty CD-ROM drive is found and left alone)."""
    s.wait_line(r".*ata: hdc: a packet device \(CD-ROM\); not used")
    s.wait_line(r".*ata: no disk")
    s.expect_pass("KTEST PASS ata_none")


@case(timeout=60)
def lspci_lists(s):
    """lspci, from the shell, lists the i440FX host bridge and the PIIX3
    IDE controller with their classes, and leaks nothing."""
    start(s)
    out = command(s, "leakcheck lspci")
    for row in (r"00:00\.0\s+06\.00\.00\s+8086:1237\s+-\s+host bridge",
                r"00:01\.1\s+01\.01\.80\s+8086:7010\s+-\s+IDE controller"):
        if not re.search(row, out):
            s.fail(f"lspci shows no line like {row!r}: {out!r}")
    if "LEAKCHECK PASS lspci" not in out:
        s.fail(f"lspci did not pass leakcheck: {out!r}")


@check("rtc_clock")
def rtc_matches_host(s):
    """The time rtc_clock prints is the host's (QEMU's clock starts at the
    host's time, in UTC), give or take a minute of a slow boot."""
    got = s.lines_matching(r"^RTC (\d+)$")
    if not got:
        s.fail("rtc_clock printed no time")
    host_time, m = got[0]
    if abs(int(m[1]) - time.time()) > 60:
        s.fail(f"the kernel's clock says {m[1]}, the host's {time.time():.0f}")
