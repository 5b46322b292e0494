"""The book's references hold (docs/README.md): every file path, every
`function()` and every local link in docs/*.md names something that
exists in the tree.

What counts as a reference, in `code spans` outside fenced blocks:
  - a path that starts with one of the tree's top directories
    (kernel/, include/, lib/, user/, tests/, tools/, scripts/, docs/);
    `*`, `?`, `[ch]` and `{a,b}` are globs, and placeholders stand for any name: <test>,
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
file (relative to docs/). The chapters are docs/*.md and the ABI
reference, docs/abi/*.md.

Citations (docs_citations): the ABI reference's sections are numbered
("## 3. Title", "### 3.2 Title"), and the tree cites them by page and
number - the page's path, a space (or a comment's line break), the
section sign and the number, as in the comments of kernel/syscall/. A
list or range goes on with more numbers, each with its sign (", ",
" and ", "-"). Every such citation in
any file of the tree, code or book, must name a page that exists and
sections whose headings exist in it. A section sign with no page before
it is allowed only in the pages of docs/abi/, where it means a section
of the same page; anywhere else a bare number cites nothing checkable,
so it is an error. Every docs/...md path named outside docs/ must exist,
and no file may name the specification folder outside the repository or
the interface text in it: the tree builds, tests and documents itself.

The tests run on the host, without QEMU.
"""
import itertools
import re

from tests.runner import case

TOP_DIRS = ("kernel", "include", "lib", "user", "tests", "tools", "scripts", "docs")
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


def book_pages(root):
    """The book's chapters and the pages of the ABI reference."""
    return sorted((root / "docs").glob("*.md")) + sorted((root / "docs/abi").glob("*.md"))


def broken_references(root):
    files = tree_files(root)
    basenames = {f.name for f in files} | made_by_build(root, files)
    names = definitions(root, files)
    bad = []
    for doc in book_pages(root):
        bad += check_doc(root, doc, basenames, names)
    return bad


# ---- citations of numbered sections ------------------------------------

SECTION = "\N{SECTION SIGN}"
NUMBER = SECTION + r"(\d+(?:\.\d+)?)"
# Page and number are apart by a space, or by a line break and a comment's
# leader (" * ", "# ") where a comment wraps.
CITE_RE = re.compile(
    r"(?<![\w./-])((?:[\w-]+/)*[\w.-]+\.md)(?: |\n\s*(?:\*|#|//)? *)(" + NUMBER
    + r"(?:\s*(?:,|and|-|\N{EN DASH})\s*" + NUMBER + r")*)")
NUMBER_RE = re.compile(NUMBER)
HEADING_RE = re.compile(r"^#{2,6} +(\d+(?:\.\d+)*)\.? ", re.M)
DOC_PATH_RE = re.compile(r"(?<![\w./-])(docs/[\w./-]*\w\.md)")
CITING_DIRS = TOP_DIRS + ("include",)
# Documents the tree must not need (spelt in pieces so as not to name
# them here): the specification folder beside the repository, and the
# interface text in it, whose facts docs/abi/ now states.
OUTSIDE = ("pebbles" + "-abi", "shared" + "/spec", "../" + "shared")
CITING_TOP_FILES = ("Makefile", "README.md")


def headings(page):
    """The section numbers of a page: '3' for "## 3. Title", '3.2' for
    "### 3.2 Title"."""
    return set(HEADING_RE.findall(page.read_text(errors="replace")))


def citing_files(root):
    """Every text file that may cite: the tree's top directories (build
    output and caches skipped), the top Makefile and README."""
    out = [root / f for f in CITING_TOP_FILES if (root / f).is_file()]
    for top in CITING_DIRS:
        for p in sorted((root / top).rglob("*")) if (root / top).is_dir() else []:
            rel = p.relative_to(root)
            if p.is_file() and not SKIP_DIRS & set(rel.parts):
                out.append(p)
    return out


def cited_page(root, src, name):
    """The page a citation in src names: relative to src (links in the
    book) or to the top of the tree (comments). None if neither exists."""
    for p in (src.parent / name, root / name):
        if p.is_file() and p.resolve().is_relative_to(root.resolve()):
            return p
    return None


def check_citations(root, src, text):
    """Every broken citation of one file, as 'file:line: what' strings."""
    bad = []
    rel = src.relative_to(root)
    in_reference = rel.parts[:2] == ("docs", "abi")
    line_of = lambda pos: text.count("\n", 0, pos) + 1
    covered = set()         # where the citations are
    for m in CITE_RE.finditer(text):
        covered.update(range(m.start(), m.end()))
        page = cited_page(root, src, m[1])
        if page is None:
            bad.append(f"{rel}:{line_of(m.start())}: no page {m[1]}")
            continue
        known = headings(page)
        for n in NUMBER_RE.findall(m[2]):
            if n not in known:
                bad.append(f"{rel}:{line_of(m.start())}: {m[1]} has no section {n}")
    own = headings(src) if in_reference else set()
    for m in NUMBER_RE.finditer(text):
        if m.start() in covered:
            continue
        if not in_reference:
            bad.append(f"{rel}:{line_of(m.start())}: section {m[1]} of no page")
        elif m[1] not in own:
            bad.append(f"{rel}:{line_of(m.start())}: this page has no section {m[1]}")
    for name in OUTSIDE:
        for m in re.finditer(re.escape(name), text):
            bad.append(f"{rel}:{line_of(m.start())}: names {name}, outside the tree")
    if rel.parts[0] != "docs":
        for m in DOC_PATH_RE.finditer(text):
            if m.start() not in covered and not (root / m[1]).is_file():
                bad.append(f"{rel}:{line_of(m.start())}: no file {m[1]}")
    return bad


def broken_citations(root):
    bad = []
    for src in citing_files(root):
        data = src.read_bytes()
        if b"\0" in data:
            continue        # binary: cites nothing
        bad += check_citations(root, src, data.decode(errors="replace"))
    return bad


def citation_selftest():
    """broken_citations on a small made-up tree: it must find exactly the
    planted mistakes. Returns what went wrong, or None."""
    import tempfile
    from pathlib import Path
    # Spelt in pieces, so that this file does not cite them itself.
    S, D = "\N{SECTION SIGN}", "docs"
    A = f"{D}/abi"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / A).mkdir(parents=True)
        (root / "kernel").mkdir()
        (root / f"{A}/page.md").write_text(
            f"# Page\n\n## 1. One\n\n### 1.2 Two\n\nAs {S}1.2 says; not {S}9.\n"
            f"[other.md {S}1](other.md)\n")
        (root / f"{A}/other.md").write_text("## 1. Other\n")
        (root / "kernel/a.c").write_text(
            f"/* good: {A}/page.md {S}1.2, {A}/page.md {S}1-{S}1.2, {A}/page.md\n"
            f" * {S}1 */\n"
            f"/* bad section: {A}/page.md {S}1.3 */\n"
            f"/* bad page: {A}/gone.md {S}1 */\n"
            f"/* bare: {S}4; a missing chapter: {D}/gone.md */\n"
            f"/* see {OUTSIDE[1]}/x.h */\n")
        got = sorted(broken_citations(root))
    want = sorted([
        f"{A}/page.md:7: this page has no section 9",
        f"kernel/a.c:3: {A}/page.md has no section 1.3",
        f"kernel/a.c:4: no page {A}/gone.md",
        "kernel/a.c:5: section 4 of no page",
        f"kernel/a.c:5: no file {D}/gone.md",
        f"kernel/a.c:6: names {OUTSIDE[1]}, outside the tree",
    ])
    return None if got == want else f"found {got}, expected {want}"


@case(boot=False, timeout=30)
def docs_references(s):
    """Every file, function and link the chapters of docs/ name exists."""
    bad = broken_references(s.cfg.root)
    if bad:
        s.fail(f"{len(bad)} broken: {'; '.join(bad[:8])}")


@case(boot=False, timeout=30)
def docs_citations(s):
    """Every citation of a numbered section (of docs/abi/, mostly), in
    code and book alike, names a page and sections that exist."""
    bad = broken_citations(s.cfg.root)
    if bad:
        s.fail(f"{len(bad)} broken: {'; '.join(bad[:8])}")


@case(boot=False, timeout=10)
def docs_citations_selftest(s):
    """The citation checker finds a missing section, a missing page, a
    bare section number and a missing chapter in a made-up tree."""
    problem = citation_selftest()
    if problem:
        s.fail(problem)


def unlinked(index, pages):
    """The pages (names) that index does not link."""
    if not index.exists():
        return [index.name]
    linked = {t.split("#")[0] for t in LINK_RE.findall(index.read_text())}
    return sorted(set(pages) - linked)


@case(boot=False, timeout=10)
def docs_reading_path(s):
    """docs/README.md links every chapter of docs/ and the ABI reference;
    docs/abi/README.md links every page of the reference."""
    docs = s.cfg.root / "docs"
    chapters = [p.name for p in docs.glob("*.md") if p.name != "README.md"]
    missing = unlinked(docs / "README.md", chapters + ["abi/README.md"])
    if missing:
        s.fail(f"docs/README.md does not link {', '.join(missing)}")
    pages = [p.name for p in (docs / "abi").glob("*.md") if p.name != "README.md"]
    missing = unlinked(docs / "abi/README.md", pages)
    if missing:
        s.fail(f"docs/abi/README.md does not link {', '.join(missing)}")
