"""The signed boot chain (docs/secure-boot.md): the signed ISO boots; a
kernel, manifest or grub.cfg changed by one byte, or an unsigned kernel, is
refused by GRUB with its reason on the screen; a program changed by one
byte is refused by exec with secure=1 and runs without it (the user test
secure_exec, booted with no argument, is that half)."""

import fcntl
import re
import shutil
import subprocess
import time

from tests.cases import BANNER, last_error
from tests.runner import case

PROMPT = re.escape("[410-shell]$ ")
REFUSED = "secure boot: refused"


def signed_iso(s, then=None):
    """make iso SIGNED=1, then then(tree) on the tree the image was packed
    from; one test at a time (the runner runs several at once, and the
    build rewrites the tree)."""
    with open(s.cfg.build / "iso-signed.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        code, out = s.make(f"B={s.cfg.make_b}", "iso", "SIGNED=1")
        if code:
            s.fail(f"make iso SIGNED=1 failed: {last_error(out)}")
        if then:
            then(s.cfg.build / "iso-signed")


def repack(s, name, change):
    """The signed tree, copied, changed by change(tree) after signing, and
    packed again with the build's key: an image an attacker could make."""
    bad = s.cfg.build / f"iso-{name}"
    shutil.rmtree(bad, ignore_errors=True)
    signed_iso(s, lambda tree: shutil.copytree(tree, bad))
    change(bad)
    iso = s.cfg.build / f"{name}.iso"
    p = subprocess.run(["scripts/signed-iso", "pack", str(bad), str(s.cfg.build / "keys/pub.gpg"),
                        str(iso)], cwd=s.cfg.root, capture_output=True, text=True)
    if p.returncode:
        s.fail(f"signed-iso pack: {p.stderr.strip()}")
    return iso


def flip(path, offset=None):
    """Change one byte of path (the middle one unless offset)."""
    data = bytearray(path.read_bytes())
    i = len(data) // 2 if offset is None else offset
    data[i] ^= 0x01
    path.write_bytes(bytes(data))


def on_screen(s, pattern, timeout=5):
    """Does the screen show pattern within timeout seconds? (GRUB writes
    the serial line and the screen one after the other.)"""
    end = time.monotonic() + timeout
    while not re.search(pattern, "\n".join(s.screen())):
        if time.monotonic() > end:
            return False
        time.sleep(0.2)
    return True


def expect_refused(s, iso, checked, error):
    """GRUB names the file checked, says error under it, on serial and on
    the screen, and the kernel never starts."""
    s.boot(cdrom=iso)
    s.wait_for(re.escape(REFUSED), timeout=60)
    want = rf"checking {re.escape(checked)}\n{re.escape(error)}\n{re.escape(REFUSED)}"
    if not re.search(want, s.serial.replace("\r", "")):
        s.fail(f"the serial line does not show 'checking {checked}' then '{error}'")
    if not on_screen(s, want):
        s.fail(f"the screen does not show 'checking {checked}' then '{error}'")
    if re.search(BANNER, s.serial):
        s.fail("the kernel started")


@case(boot=False, timeout=150)
def secure_iso_boot(s):
    """The signed ISO boots to the shell with secure=1 and the manifest;
    a trusted program runs; a copy of one with a byte changed is refused
    with -EUNTRUSTED and a console line naming it; the demo securelies
    says so."""
    signed_iso(s)
    s.boot(cdrom=s.cfg.build / "fable-signed.iso")
    s.wait_for(BANNER, timeout=60)
    s.wait_for(r"secure: the manifest trusts \d+ programs")
    s.wait_for(PROMPT, timeout=60)
    s.type_keys("leakcheck secure_exec secure\n")
    s.wait_for(r"secure: exec of /tmp/secure_exec.true refused: its SHA-256 [0-9a-f]{64} "
               r"is not in the manifest", timeout=60)
    s.wait_for(r"TEST PASS secure_exec", timeout=60)
    s.wait_for(r"LEAKCHECK PASS secure_exec", timeout=60)
    s.wait_for(PROMPT, timeout=30)
    s.type_keys("leakcheck securelies\n")          # the demo
    s.wait_line(r"  true \(the RAM disk's, in the manifest\) +ran", timeout=30)
    s.wait_line(r"  /tmp/securelies.true \(one byte changed\) +refused: -EUNTRUSTED", timeout=30)
    s.wait_line(r"securelies: secure=1: only the manifest's programs run", timeout=30)
    s.wait_for(r"LEAKCHECK PASS securelies", timeout=30)


@case(boot=False, timeout=120)
def secure_exec_enforced(s):
    """secure=1 and the build's manifest as a Multiboot module (QEMU's
    -initrd, no GRUB): secure_exec sees its changed copy refused."""
    signed_iso(s)
    s.boot("secure=1 -- leakcheck -p secure_exec secure", initrd=s.cfg.build / "manifest")
    s.expect_test_pass("secure_exec")
    if not s.has_line("secure_exec: enforced"):
        s.fail("the test did not run enforced")


@case(boot=False, timeout=120)
def secure_no_manifest(s):
    """secure=1 without a manifest trusts nothing: the first program is
    refused (the check fails closed), and the kernel cannot go on."""
    s.boot("secure=1 -- true")
    s.wait_for(r"secure: no valid manifest: exec will refuse every program")
    s.wait_for(r"secure: exec of true refused")
    s.wait_for(r"cannot start the first program true \(error -32\)")


@case(boot=False, timeout=150)
def secure_tampered_kernel(s):
    """One byte of the kernel changed after signing: GRUB's multiboot
    refuses it."""
    iso = repack(s, "tampered-kernel", lambda t: flip(t / "boot/fable.elf"))
    expect_refused(s, iso, "/boot/fable.elf", "error: bad signature.")


@case(boot=False, timeout=150)
def secure_unsigned_kernel(s):
    """A kernel without a signature (another build, say): refused."""
    iso = repack(s, "unsigned-kernel", lambda t: (t / "boot/fable.elf.sig").unlink())
    expect_refused(s, iso, "/boot/fable.elf",
                   "error: file `/boot/fable.elf.sig' not found.")


@case(boot=False, timeout=150)
def secure_tampered_manifest(s):
    """One byte of the manifest changed: refused after the kernel."""
    iso = repack(s, "tampered-manifest", lambda t: flip(t / "boot/manifest"))
    expect_refused(s, iso, "/boot/manifest", "error: bad signature.")


@case(boot=False, timeout=150)
def secure_tampered_config(s):
    """One byte of grub.cfg changed: refused before it runs."""
    iso = repack(s, "tampered-config", lambda t: flip(t / "boot/grub/grub.cfg", 2))
    s.boot(cdrom=iso)
    s.wait_for(re.escape(f"{REFUSED}: /boot/grub/grub.cfg has no good signature"), timeout=60)
    if not on_screen(s, "grub.cfg has no good signature"):
        s.fail("the screen does not say why")
    if re.search(BANNER, s.serial) or "checking /boot/fable.elf" in s.serial:
        s.fail("the changed grub.cfg ran")


@case(boot=False, timeout=120)
def bench_secure_exec(s):
    """fork + exec(true) + wait costs at most 2% more guest instructions
    with secure=1 (exec checks the manifest) than without (make bench's
    pair of rows; -icount makes the counts exact)."""
    import tools.bench as bench
    signed_iso(s)
    try:
        plain = bench.parse(bench.run_guest(s.cfg.build, ["-q", "fork_exec_wait"],
                                            log=s.logdir / "bench.log"))
        sc = bench.secure_cost(s.cfg.build, plain["fork_exec_wait"][0], quick=True,
                               log=s.logdir / "bench-secure.log")
    except bench.BenchError as e:
        s.fail(str(e))
    if sc["ratio"] > bench.SECURE_LIMIT:
        s.fail(f"exec with secure=1 costs {sc['fork_exec_wait_secure']:.1f} instructions, "
               f"{sc['ratio']:.4f} times {plain['fork_exec_wait'][0]:.1f} "
               f"(limit {bench.SECURE_LIMIT})")


@case(boot=False, timeout=300)
def secure_sign_sdk(s):
    """`make sign PROGS=...` signs a program built outside the tree
    (tools/fable-cc) into a new manifest with the build's key; with that
    manifest and secure=1, the program runs from the disk's /bin."""
    from tests.cases_sdk import ARG, PROG, fable_cc, outside_dir
    src = outside_dir(s)
    try:
        (src / "bin").mkdir()
        fable_cc(s, s.cfg.root / "tools/fable-cc", src, f"bin/{PROG}")
        manifest = s.cfg.build / "secure-sdk.manifest"

        def sign(tree):
            code, out = s.make(f"B={s.cfg.make_b}", "sign", f"PROGS={src}/bin/{PROG}")
            if code:
                s.fail(f"make sign failed: {last_error(out)}")
            shutil.copy(s.cfg.build / "manifest", manifest)
            subprocess.run(["gpg", "--homedir", str(s.cfg.build / "keys/gnupg"), "--batch",
                            "--verify", str(s.cfg.build / "iso-signed/boot/manifest.sig"),
                            str(s.cfg.build / "iso-signed/boot/manifest")],
                           check=True, capture_output=True)
            code, out = s.make(f"B={s.cfg.make_b}", "iso", "SIGNED=1")   # as it was
            if code:
                s.fail(f"make iso SIGNED=1 failed: {last_error(out)}")
        signed_iso(s, sign)
        if not re.search(rf"^[0-9a-f]{{64}}  {PROG}$", manifest.read_text(), re.M):
            s.fail(f"the signed manifest does not list {PROG}")
        img = s.cfg.build / "secure-sdk.img"
        code, out = s.make(f"B={s.cfg.make_b}", "disk", f"DISK={img}", f"ADD={src}")
        if code:
            s.fail(f"make disk failed: {last_error(out)}")
    finally:
        shutil.rmtree(src, ignore_errors=True)
    # From the shell, not under leakcheck: the disk's first use fills
    # caches that outlive the program.
    s.boot("secure=1", initrd=manifest, disk=img)
    s.wait_for(PROMPT, timeout=60)
    s.type_keys(f"{PROG} {ARG}\n")
    s.wait_line(f"TEST PASS {PROG}", timeout=60)


@case(boot=False, timeout=120)
def secure_bad_manifest(s):
    """A manifest with one line that is not a digest and a name (GRUB
    would not hand such a file over unsigned, but the kernel does not rely
    on it): the whole manifest is rejected, not the rest of it trusted."""
    signed_iso(s)
    bad = s.cfg.build / "secure-bad.manifest"
    bad.write_text((s.cfg.build / "manifest").read_text() + "not a digest  init\n")
    s.boot("secure=1 -- true", initrd=bad)
    s.wait_for(r"secure: no valid manifest: exec will refuse every program")
    s.wait_for(r"cannot start the first program true \(error -32\)")
