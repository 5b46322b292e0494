#!/usr/bin/env python3
"""mkdisk.py: make a deterministic ext2 image of a directory (`make disk`).

usage: mkdisk.py -o IMAGE --mib N --block 1024|4096 STAGE

IMAGE becomes an ext2 revision-1 file system of N MiB whose root holds
what directory STAGE holds (mke2fs -d). The same STAGE gives the same
image, byte for byte, whoever builds it and whenever:

- mke2fs reads no configuration file (MKE2FS_CONFIG=/dev/null): the
  features, inode size and reserved blocks are given here, so the host's
  /etc/mke2fs.conf does not change the image;
- the UUID and the directory-hash seed are fixed, and mke2fs's clock is
  E2FSPROGS_FAKE_TIME;
- STAGE's modes are normalised first (directories and files with an
  execute bit 0755, other files 0644), and its atimes and mtimes set to
  EPOCH; mke2fs copies each file's ctime and owner from the host, which
  nobody can set there, so afterwards debugfs sets every inode's times to
  EPOCH and its owner to 0:0.
STAGE itself is changed (modes and times): give it a copy.
"""
import argparse
import os
import stat
import subprocess
import sys
import tempfile

EPOCH = 946684800            # 2000-01-01 00:00:00 UTC, the image's only time
UUID = "f4b1e000-0000-4000-8000-000000000001"
HASH_SEED = "f4b1e000-0000-4000-8000-000000000002"
FEATURES = "ext_attr,resize_inode,dir_index,filetype,sparse_super,large_file"
INODE_SIZE = 256


def fail(msg):
    sys.exit("mkdisk: " + msg)


def normalise(stage):
    """Fix STAGE's modes and times; return the paths the image will hold
    ("/" first), lost+found, which mke2fs makes, included."""
    paths = ["/"]
    for top, dirs, files in os.walk(stage):
        dirs.sort()
        for name in dirs + sorted(files):
            full = os.path.join(top, name)
            rel = "/" + os.path.relpath(full, stage)
            if any(c in rel for c in '"\n\\'):
                fail(f"{full}: a name with a quote, backslash or newline")
            paths.append(rel)
            st = os.lstat(full)
            if not stat.S_ISLNK(st.st_mode):
                os.chmod(full, 0o755 if stat.S_ISDIR(st.st_mode) or st.st_mode & 0o111
                         else 0o644)
            os.utime(full, (EPOCH, EPOCH), follow_symlinks=False)
    os.chmod(stage, 0o755)
    os.utime(stage, (EPOCH, EPOCH))
    if "/lost+found" not in paths:
        paths.append("/lost+found")
    return paths


def run(argv, env=None):
    p = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode:
        fail(f"{argv[0]} failed:\n{p.stdout.strip()}")
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", dest="image", required=True)
    ap.add_argument("--mib", type=int, default=64)
    ap.add_argument("--block", type=int, default=4096)
    ap.add_argument("stage")
    args = ap.parse_args()
    if args.block not in (1024, 4096):
        fail(f"block size {args.block}: 1024 or 4096")
    if not 1 <= args.mib <= 2048:
        fail(f"size {args.mib} MiB: 1 to 2048")
    if not os.path.isdir(args.stage):
        fail(f"{args.stage}: not a directory")

    paths = normalise(args.stage)
    # Debian keeps mke2fs and debugfs in /sbin, which a user's PATH lacks.
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    env = dict(os.environ, PATH=path, MKE2FS_CONFIG="/dev/null",
               E2FSPROGS_FAKE_TIME=str(EPOCH))
    tmp = args.image + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    run(["mke2fs", "-q", "-F", "-t", "ext2", "-r", "1", "-b", str(args.block),
         "-I", str(INODE_SIZE), "-m", "0", "-O", "none," + FEATURES, "-U", UUID,
         "-E", f"root_owner=0:0,hash_seed={HASH_SEED}", "-d", args.stage,
         tmp, f"{args.mib}M"], env)

    with tempfile.NamedTemporaryFile("w", suffix=".debugfs") as cmds:
        for rel in paths:
            for field in ("atime", "mtime", "ctime"):
                cmds.write(f'sif "{rel}" {field} @{EPOCH}\n')
            cmds.write(f'sif "{rel}" uid 0\nsif "{rel}" gid 0\n')
        cmds.flush()
        out = run(["debugfs", "-w", "-f", cmds.name, tmp], env)
    errors = [ln for ln in out.splitlines()
              if ln.strip() and not ln.startswith(("debugfs ", "debugfs: sif "))]
    if errors:
        fail(f"debugfs: {errors[0]}")
    os.replace(tmp, args.image)


if __name__ == "__main__":
    main()
