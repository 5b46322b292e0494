"""The book's references hold (docs/README.md): every file path, every
`function()` and every local link in docs/*.md names something that
exists in the tree.

What counts as a reference, in `code spans` outside fenced blocks:
  - a path that starts with one of the tree's top directories
    (kernel/, user/, tests/, tools/, scripts/, docs/); `*`, `?`, `[ch]`
    and `{a,b}` are globs, and placeholders stand for any name: <test>,
    and a file stem NAME, name, X or x, or one ending in _NAME or _x
    (test_x.c); some file must match;
  - a bare file name with a source suffix (sched.c, switch.S): some file
    of the tree must have that name, or a makefile must name it (files
    the build generates);
  - an identifier followed by `(`: a C function, macro or assembly label,
    or a Python function or class of tests/ or tools/, must be defined by
    that name. Not: man-page references (timeout(1)) and the few generic
    words below.
And every markdown link [text](target) without a scheme must lead to a
file (relative to docs/).

The test runs on the host, without QEMU.
"""
import itertools
import re

from tests.runner import case

TOP_DIRS = ("kernel", "user", "tests", "tools", "scripts", "docs")
SOURCE_SUFFIXES = (".c", ".h", ".S", ".py", ".md", ".mk", ".ld", ".sh")
SKIP_DIRS = {".git", "__pycache__"}

FENCE_RE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
SPAN_RE = re.compile(r"`([^`\n]+)`")
LINK_RE = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
CALL_RE = re.compile(r"(?<![\w$])([A-Za-z_]\w*)\((?!\d\))")
BRACE_RE = re.compile(r"\{([^{}]*)\}")

# Words that look like calls in code spans but name no function: C's
# keywords, arithmetic (min(a, b)) and parameters named in prose (fn(arg)).
NOT_FUNCTIONS = {
    "sizeof", "if", "for", "while", "switch", "return", "defined", "typeof",
    "alignof", "__attribute__", "asm", "__asm__", "_Static_assert",
    "min", "max", "fn", "func",
}
PLACEHOLDER_STEM_RE = re.compile(r"(?:^|(?<=_))(?:NAME|name|X|x)$")

# Definitions: C functions and prototypes at the start of a line, macros
# with parameters, assembly labels (also in C's top-level asm strings),
# Python functions.
C_DEF_RE = re.compile(r"^[A-Za-z_][^;=(\n]*?\b([A-Za-z_]\w*)\s*\(", re.M)
MACRO_RE = re.compile(r"^#\s*define\s+([A-Za-z_]\w*)\(", re.M)
ASM_LABEL_RE = re.compile(r"^\s*([A-Za-z_]\w*):", re.M)
ASM_STRING_LABEL_RE = re.compile(r"\"\s*([A-Za-z_]\w*):(?:\\n|\s*\")")
PY_DEF_RE = re.compile(r"^\s*(?:def|class) ([A-Za-z_]\w*)\b", re.M)


def tree_files(root):
    """Every file of the tree, as paths relative to root (no build output:
    build directories hold no sources the book names, and are skipped)."""
    out = []
    for p in root.rglob("*"):
        rel = p.relative_to(root)
        if rel.parts[0] in TOP_DIRS and not SKIP_DIRS & set(rel.parts) and p.is_file():
            out.append(rel)
    return out


def definitions(root, files):
    """Every name the tree defines, by the regexes above."""
    names = set()
    for rel in files:
        if rel.suffix not in (".c", ".h", ".S", ".py"):
            continue
        text = (root / rel).read_text(errors="replace")
        if rel.suffix == ".py":
            names.update(PY_DEF_RE.findall(text))
            continue
        names.update(MACRO_RE.findall(text))
        if rel.suffix == ".S":
            names.update(ASM_LABEL_RE.findall(text))
        else:
            names.update(C_DEF_RE.findall(text))
            names.update(ASM_STRING_LABEL_RE.findall(text))
    return names


def made_by_build(root, files):
    """Names of files the makefiles mention: generated files count too."""
    makefiles = [f for f in files if f.suffix == ".mk"] + [root / "Makefile"]
    text = "".join((root / f).read_text(errors="replace") for f in makefiles)
    return set(re.findall(r"[\w.-]+\.(?:S|c|h|o|ld|list)\b", text))


def expand_braces(text):
    """a{b,c}d -> [abd, acd], as a shell would."""
    m = BRACE_RE.search(text)
    if not m:
        return [text]
    head, tail = text[:m.start()], text[m.end():]
    return list(itertools.chain.from_iterable(
        expand_braces(head + alt + tail) for alt in m[1].split(",")))


def as_glob(path):
    """A documented path as a glob: placeholders become `*`."""
    parts = []
    for part in path.rstrip("/").split("/"):
        part = re.sub(r"<[^>]*>", "*", part)
        stem, dot, suffix = part.partition(".")
        parts.append(PLACEHOLDER_STEM_RE.sub("*", stem) + dot + suffix)
    return "/".join(parts)


def path_exists(root, path):
    return any(any(root.glob(as_glob(p))) for p in expand_braces(path))


def tokens(span):
    """The words of a code span, stripped of surrounding punctuation."""
    for word in span.split():
        word = word.strip("(),;:'\".")
        if word:
            yield word


def is_path(word):
    return "/" in word and word.split("/")[0] in TOP_DIRS


def is_file_name(word):
    return "/" not in word and word.endswith(SOURCE_SUFFIXES) and \
        re.fullmatch(r"[\w.-]+", word) is not None


def prose(text):
    """The document without its fenced code blocks (diagrams, examples)."""
    return FENCE_RE.sub("", text)


def check_doc(root, doc, basenames, names):
    """Every broken reference of one document, as 'doc: what' strings."""
    text = prose(doc.read_text())
    bad = []
    for span in SPAN_RE.findall(text):
        for word in tokens(span):
            if is_path(word) and not path_exists(root, word):
                bad.append(f"path {word}")
            elif is_file_name(word) and word not in basenames:
                bad.append(f"file {word}")
        for name in CALL_RE.findall(span):
            if name not in NOT_FUNCTIONS and name not in names:
                bad.append(f"function {name}()")
    for target in LINK_RE.findall(text):
        target = target.split("#")[0]
        if target and not re.match(r"\w+:", target) and not (doc.parent / target).exists():
            bad.append(f"link {target}")
    return [f"{doc.name}: {b}" for b in dict.fromkeys(bad)]


def broken_references(root):
    files = tree_files(root)
    basenames = {f.name for f in files} | made_by_build(root, files)
    names = definitions(root, files)
    bad = []
    for doc in sorted((root / "docs").glob("*.md")):
        bad += check_doc(root, doc, basenames, names)
    return bad


@case(boot=False, timeout=30)
def docs_references(s):
    """Every file, function and link the chapters of docs/ name exists."""
    bad = broken_references(s.cfg.root)
    if bad:
        s.fail(f"{len(bad)} broken: {'; '.join(bad[:8])}")


@case(boot=False, timeout=10)
def docs_reading_path(s):
    """docs/README.md links every chapter of docs/, and each link works."""
    docs = s.cfg.root / "docs"
    readme = docs / "README.md"
    if not readme.exists():
        s.fail("docs/README.md is missing")
    linked = {t.split("#")[0] for t in LINK_RE.findall(readme.read_text())}
    chapters = {p.name for p in docs.glob("*.md")} - {"README.md"}
    missing = sorted(chapters - linked)
    if missing:
        s.fail(f"docs/README.md does not link {', '.join(missing)}")
