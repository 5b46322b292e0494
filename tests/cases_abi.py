"""Scripted tests of the system-call ABI (docs/abi/, docs/syscalls.md): the
reference's vector table and the map of docs/syscalls.md match the
kernel's dispatch table and the user headers, readline edits what is
typed, and debug_print's output arrives whole or not at all. (The runner
loads every tests/cases_*.py.)
"""
import re

from tests.runner import case, check

CALL_RE = re.compile(r"^\s*CALL\((\w+),\s*(\w+)\),", re.M)
DEFINE_RE = re.compile(r"^#define\s+(\w+)\s+(\w+)", re.M)
DOC_ROW_RE = re.compile(r"^\| (0x[0-9A-Fa-f]+) \| `(\w+)` \| `(\w+)` \|", re.M)


def vector_macros(text):
    """{macro: number} from syscall_int.h, following aliases such as
    DEBUG_PRINT_INT -> SYSCALL_RESERVED_0 -> 0x80."""
    raw = dict(DEFINE_RE.findall(text))

    def value(name, depth=0):
        v = raw[name]
        if re.fullmatch(r"0[xX][0-9A-Fa-f]+|\d+", v):
            return int(v, 0)
        if v not in raw or depth > 8:
            raise ValueError(f"{name} is neither a number nor a known macro")
        return value(v, depth + 1)
    return {name: value(name) for name in raw if not name.startswith("_")}


def dispatch_table(root):
    """[(vector, macro, name)] from the CALL lines of syscall.c."""
    macros = vector_macros((root / "include/fable/syscall_int.h").read_text()
                           + (root / "kernel/syscall/syscall.h").read_text())
    calls = CALL_RE.findall((root / "kernel/syscall/syscall.c").read_text())
    return [(macros[m], m, n) for m, n in calls]


def documented(root):
    """[(vector, macro, name)] from the table rows of docs/syscalls.md."""
    rows = DOC_ROW_RE.findall((root / "docs/syscalls.md").read_text())
    return [(int(v, 16), m, n) for v, m, n in rows]


def describe(rows):
    return ", ".join(f"{v:#x} {m} {n}" for v, m, n in sorted(rows))


@case(boot=False, timeout=10)
def syscalls_doc(s):
    """docs/syscalls.md lists exactly the calls of the kernel's dispatch
    table, each once, with its vector number and macro."""
    try:
        table = dispatch_table(s.cfg.root)
    except (KeyError, ValueError) as e:
        s.fail(f"cannot resolve a vector macro of syscall.c: {e}")
    doc = documented(s.cfg.root)
    if not table:
        s.fail("found no CALL(...) lines in kernel/syscall/syscall.c")
    if len(doc) != len(set(doc)):
        s.fail("docs/syscalls.md lists a call twice")
    missing, extra = set(table) - set(doc), set(doc) - set(table)
    if missing or extra:
        s.fail(f"docs/syscalls.md lacks [{describe(missing)}], "
               f"has extra [{describe(extra)}]")


# A row of the vector tables of docs/abi/README.md: vector, macro, and a
# prototype in a code span (thread_fork has none).
REF_ROW_RE = re.compile(r"^\| (0x[0-9A-Fa-f]+) \| `(\w+)` \| ([^|]*) \|", re.M)
PROTO_RE = re.compile(r"`([^`(]*?)\b(\w+)\(([^)]*)\)[^`]*;`")


def words(text):
    return " ".join(text.replace("*", " * ").split())


def header_prototypes(root):
    """{name: (return type, parameters)} declared by the user headers
    that carry system calls, whitespace normalised."""
    decl = re.compile(r"^([A-Za-z_][\w \t*]*?)\b(\w+)\(([^)]*)\)[^;{]*;", re.M)
    out = {}
    for h in ("syscall.h", "fable.h"):
        for ret, name, params in decl.findall((root / "user/include" / h).read_text()):
            out[name] = (words(ret), words(params))
    return out


def reference_rows(root):
    """[(vector, macro, name, prototype or None)] of docs/abi/README.md's
    vector tables; a call's name is its macro's, lower case, less _INT."""
    rows = []
    for v, macro, cell in REF_ROW_RE.findall((root / "docs/abi/README.md").read_text()):
        m = PROTO_RE.search(cell)
        proto = (words(m[1]), m[2], words(m[3])) if m else None
        rows.append((int(v, 16), macro, macro[:-len("_INT")].lower(), proto))
    return rows


@case(boot=False, timeout=10)
def abi_vector_table(s):
    """The vector tables of the ABI reference (docs/abi/README.md) list
    exactly the calls of the kernel's dispatch table, with the numbers of
    include/fable/syscall_int.h, and every prototype they give is the one
    the user headers declare."""
    try:
        table = set(dispatch_table(s.cfg.root))
    except (KeyError, ValueError) as e:
        s.fail(f"cannot resolve a vector macro of syscall.c: {e}")
    rows = reference_rows(s.cfg.root)
    doc = {(v, m, n) for v, m, n, _ in rows}
    if len(doc) != len(rows):
        s.fail("docs/abi/README.md lists a call twice")
    missing, extra = table - doc, doc - table
    if missing or extra:
        s.fail(f"docs/abi/README.md lacks [{describe(missing)}], has extra [{describe(extra)}]")
    declared = header_prototypes(s.cfg.root)
    for v, macro, name, proto in rows:
        if proto is None:
            if name in declared:
                s.fail(f"{name} has a C declaration that docs/abi/README.md does not give")
            continue
        ret, pname, params = proto
        if pname != name:
            s.fail(f"docs/abi/README.md: the row of {macro} declares {pname}")
        if declared.get(name) != (ret, params):
            s.fail(f"docs/abi/README.md: {ret} {name}({params}) but the headers "
                   f"declare {declared.get(name)}")


def screen_line_ends(s, text, typo):
    """Fail unless a screen line ends with text and none shows typo."""
    screen = s.screen()
    if not any(line.endswith(text) for line in screen):
        s.fail(f"no line ending in {text!r} on the screen")
    if any(typo in line for line in screen):
        s.fail(f"the erased {typo!r} is still on the screen")


def expect_report(s, text):
    """The program's report of one readline: "got N 'text'" (newlines
    shown as \\n)."""
    n = len(text.replace("\\n", "\n"))
    s.wait_line(re.escape(f"readline: got {n} '{text}'"), timeout=10)


@case(cmdline="-- leakcheck -p readline typed", timeout=40)
def readline_typed(s):
    """readline with real typing (user/tests/readline.c, "typed"): the
    line is edited with backspaces and echoed; a line longer than the
    buffer is handed out in pieces, the rest to getchar; backspace on an
    empty line does nothing."""
    s.wait_line("readline: step 1")
    s.type_keys("Hello Wxq\b\borld\n")
    expect_report(s, "Hello World\\n")
    screen_line_ends(s, "Hello World", "Wxq")
    s.wait_line("readline: step 2")
    s.type_keys("abcdefgh\n")
    expect_report(s, "abcde")
    expect_report(s, "fg")
    s.wait_line(r"readline: getchar 104 10")
    s.wait_line("readline: step 3")
    s.type_keys("\b\bxy\b\b\bok\n")
    expect_report(s, "ok\\n")
    s.expect_test_pass("readline")


# user/tests/fable_calls.c: a refused debug_print holds LEAKED, the big
# one is 64 lines of 64 bytes.
BIG_LINE = "fable_calls: line {:02d} of one 4096-byte debug_print call"


@check("fable_calls")
def debug_print_whole(s):
    """Refused debug_print calls wrote nothing; the 4096-byte call
    arrived in one piece, nothing between its lines."""
    if "LEAKED" in s.serial:
        s.fail("a refused debug_print wrote to the debug log")
    big = "".join(BIG_LINE.format(i).ljust(63, ".") + "\n" for i in range(64))
    if big not in s.serial:
        s.fail("the 4096-byte debug_print is not on serial in one piece")
