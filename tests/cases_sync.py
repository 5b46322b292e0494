"""The lock tags keep to one vocabulary (docs/sync.md, "Lock tags").

A field comment that opens with a tag, `/* [s] ...`, uses a tag of the
alphabet in docs/sync.md's table; every kernel file with such comments
has exactly one legend, "Lock tags (docs/sync.md): ...", and it lists
exactly the tags the file uses (a field's note may name a second one). The test runs on the host, without QEMU.
"""
import re

from tests.runner import case

ALPHABET_RE = re.compile(r"^\| `\[([a-z])\]` \|", re.M)
TAG_RE = re.compile(r"/\*\s*\[([^\]\[,)\n]*)\]")
LEGEND = "Lock tags (docs/sync.md):"
LEGEND_RE = re.compile(re.escape(LEGEND) + r"(.*?)\*/", re.S)
LEGEND_TAG_RE = re.compile(r"\[([a-z])\]")


def alphabet(root):
    return set(ALPHABET_RE.findall((root / "docs" / "sync.md").read_text()))


def file_problems(rel, text, letters):
    """What is wrong with the tags of one file, as lines."""
    used = TAG_RE.findall(text)
    bad = sorted({t for t in used if t not in letters})
    out = [f"{rel}: tag [{t}] is not in docs/sync.md's alphabet" for t in bad]
    legends = LEGEND_RE.findall(text)
    if not used:
        return out + ([f"{rel}: a legend but no tagged field"] if legends else [])
    if len(legends) != 1:
        return out + [f"{rel}: {len(legends)} legends, want 1"]
    listed = set(LEGEND_TAG_RE.findall(legends[0]))
    named = set(LEGEND_TAG_RE.findall(LEGEND_RE.sub("", text)))   # a note may use one too
    if not set(used) <= listed or not listed <= named:
        out.append(f"{rel}: the legend lists {sorted(listed)}, the fields use {sorted(named)}")
    return out


def lock_tag_problems(root):
    letters = alphabet(root)
    if not letters:
        return ["docs/sync.md: no table of lock tags"]
    out = []
    for path in sorted((root / "kernel").rglob("*")):
        if path.suffix in (".c", ".h", ".S"):
            out += file_problems(path.relative_to(root), path.read_text(errors="replace"), letters)
    return out


@case(boot=False, timeout=30)
def docs_lock_tags(s):
    """Every lock tag in kernel/ is one of docs/sync.md's, and each file
    with tagged fields has one legend listing exactly the tags it uses."""
    bad = lock_tag_problems(s.cfg.root)
    if bad:
        s.fail(f"{len(bad)} problems; first: {bad[0]}")
