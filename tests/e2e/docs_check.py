#!/usr/bin/env python3
"""docs_check.py - prove the docs cover what the binary and the contracts do.

    docs_check.py ops|reasons|access|man [--mv BIN] [--docs DIR] [--src DIR]

Each check prints one line per missing item and exits 1 if any is missing
(0 when complete, 2 on a usage or input error):

  ops      every op kind of `mentalverse --json op --help` has a section in
           DOCS/contracts/*.md (a heading naming the kind, or a table row
           whose first cell names it), and each of its fields is named in
           that section.
  reasons  every rejection reason in SRC/*.c (the format string literals
           given to ctx_reject, adjacent literals joined, each branch of a
           ?: taken, and the reasons helpers build in a `why` buffer)
           appears in DOCS/contracts/*.md: its literal text, with any
           placeholder (N, X MVT, ...) where a printf conversion is. A code
           span may cut a reason short with `...` or `…` after at least 20
           bytes of its literal text up to the first conversion.
  access   the texts of the access matrix (SRC/access.c: each rule's
           "not allowed: ACTION is for WHO" and each class name), from which
           run-time "not allowed" reasons are built, appear there too.
  man      every command of `mentalverse --help` (and the subcommands
           written as `CMD SUB ...`) is named in a tag of DOCS/mentalverse.1,
           and every view of `mentalverse show --help` is named in the
           `show` entry.

Defaults: BIN = ./mentalverse, DOCS = $MV_DOCS_DIR or ./docs, SRC =
./src/core/contracts (paths relative to the repository root). Tests point
--docs at a damaged copy to prove that a missing item fails the check.
"""
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def die(msg):
    """An input the check cannot read: exit 2, never 1 (1 = items missing)."""
    print("docs_check: " + msg, file=sys.stderr)
    sys.exit(2)

# ---- reading the docs ------------------------------------------------------


def read_contract_docs(docs):
    """[(path, text)] of DOCS/contracts.md and DOCS/contracts/*.md."""
    paths = sorted(glob.glob(os.path.join(docs, "contracts", "*.md")))
    if not paths:
        die("no %s/contracts/*.md" % docs)
    out = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            out.append((p, f.read()))
    return out


def normalize(text):
    """Docs text as prose, whitespace collapsed; an escaped pipe (\\| in a
    table cell: alternatives) becomes \\x01, so that a placeholder may span
    it but not a cell boundary."""
    return re.sub(r"\s+", " ", text.replace("\\|", "\x01"))


def kind_re(kind):
    return re.compile(r"(?<![A-Za-z0-9_.])" + re.escape(kind) + r"(?![A-Za-z0-9_])")


def sections(text, kind):
    """The parts of one page that document KIND: each heading naming it with
    everything up to the next heading of the same or a higher level, and
    each table row whose first cell names it in backticks."""
    out = []
    lines = text.split("\n")
    kre = kind_re(kind)
    i = 0
    while i < len(lines):
        m = re.match(r"^(#+)\s", lines[i])
        if m and kre.search(lines[i]):
            level = len(m.group(1))
            j = i + 1
            while j < len(lines):
                n = re.match(r"^(#+)\s", lines[j])
                if n and len(n.group(1)) <= level:
                    break
                j += 1
            out.append("\n".join(lines[i:j]))
            i = j
            continue
        if lines[i].startswith("|"):
            cells = re.split(r"(?<!\\)\|", lines[i])
            if len(cells) > 2 and re.search(r"`" + re.escape(kind) + r"(?: \{[^`]*\})?`", cells[1]):
                out.append(lines[i])
        i += 1
    return out


def code_spans(text):
    """Backtick code spans of normalized docs text."""
    return re.findall(r"`([^`]+)`", text)


# ---- reading the C sources ---------------------------------------------------

CONV = re.compile(r"%[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcsp]")


def strip_comments(src):
    """C source with comments blanked (string literals kept)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def c_unescape(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def first_arg(src, i):
    """Text of the argument starting at src[i] up to the top-level comma or
    closing parenthesis, and where it ends."""
    depth, j, n = 0, i, len(src)
    while j < n:
        c = src[j]
        if c == '"' or c == "'":
            k = j + 1
            while k < n and src[k] != c:
                k += 2 if src[k] == "\\" else 1
            j = k + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif c == "," and depth == 0:
            break
        j += 1
    return src[i:j], j


def split_top(expr, sep):
    """Split EXPR at top-level occurrences of the character SEP."""
    parts, depth, start, j, n = [], 0, 0, 0, len(expr)
    while j < n:
        c = expr[j]
        if c == '"' or c == "'":
            k = j + 1
            while k < n and expr[k] != c:
                k += 2 if expr[k] == "\\" else 1
            j = k + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(expr[start:j])
            start = j + 1
        j += 1
    parts.append(expr[start:])
    return parts


def literal_of(expr):
    """The string an expression of adjacent literals stands for; a macro
    between literals (PRId64) counts as a conversion. None if EXPR holds
    no literal."""
    toks = re.findall(r'"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_]*)', expr)
    lits = [k for k, (_, ident) in enumerate(toks) if ident == ""]
    if not lits:
        return None
    out = []
    for lit, ident in toks[lits[0]:lits[-1] + 1]:
        out.append("%d" if ident else c_unescape(lit))
    return "".join(out)


def reject_formats(path):
    """[(line, format)] of every ctx_reject call in one C file, and of every
    snprintf into a buffer named why (the reasons helpers build for a caller
    to reject with "%s"); a ?: gives one format per branch (its condition is
    skipped)."""
    with open(path, encoding="utf-8") as f:
        src = strip_comments(f.read())
    out = []
    for m in re.finditer(r"\b(ctx_reject|snprintf)\s*\(", src):
        if src[:m.start()].rstrip().endswith("int"):  # a declaration
            continue
        if m.group(1) == "snprintf" and not re.match(r"\s*why\s*,", src[m.end():]):
            continue
        # skip ctx (ctx_reject) or why and its size (snprintf)
        j = m.end()
        for _ in range(1 if m.group(1) == "ctx_reject" else 2):
            _, j = first_arg(src, j)
            if j >= len(src) or src[j] != ",":
                break
            j += 1
        else:
            expr, _ = first_arg(src, j)
            line = src.count("\n", 0, m.start()) + 1
            q = split_top(expr, "?")
            branches = split_top("?".join(q[1:]), ":") if len(q) > 1 else [expr]
            for br in branches:
                lit = literal_of(br)
                if lit is not None and lit != "%s":
                    out.append((line, lit))
    return out


# ---- checks -------------------------------------------------------------------


def run(mv, *args):
    try:
        r = subprocess.run([mv] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
    except OSError as e:
        die("cannot run %s: %s" % (mv, e))
    if r.returncode != 0:
        die("%s %s failed: %s" % (mv, " ".join(args), r.stderr.strip()))
    return r.stdout


def check_ops(mv, docs):
    pages = read_contract_docs(docs)
    cat = json.loads(run(mv, "--json", "op", "--help"))
    if len(cat) < 10:
        die("op --help lists only %d op kinds" % len(cat))
    missing = []
    for op in cat:
        kind = op["kind"]
        secs = []
        for _, text in pages:
            secs += sections(text, kind)
        if not secs:
            missing.append("op kind %s: no heading or table row in %s/contracts/*.md" % (kind, docs))
            continue
        body = "\n".join(secs)
        for f in op.get("fields", []):
            if not re.search(r"(?<![A-Za-z0-9_])" + re.escape(f["name"]) + r"(?![A-Za-z0-9_])",
                             body):
                missing.append("op kind %s: field %s not mentioned in its section" %
                               (kind, f["name"]))
    return missing, len(cat)


# A value the program fills in, as the docs show it (N, X MVT, KIND, ...):
# any text within one code span or table cell (none for an empty %s).
PLACEHOLDER = r"[^`|]{0,48}?"


def reason_regex(fmt):
    """The docs text a format string stands for: its literal parts in order,
    a placeholder for each conversion."""
    parts = []
    for p in CONV.split(fmt):
        p = re.escape(p.replace("%%", "%"))
        p = re.sub(r"(\\ )+", r"\\s+", p).replace("\\|", "[|\x01]")
        parts.append(p)
    rx = PLACEHOLDER.join(parts)
    if re.match(r"\w", fmt):
        rx = r"(?<!\w)" + rx
    if re.search(r"\w$", fmt):
        rx += r"(?!\w)"
    return re.compile(rx)


def documented(fmt, prose, spans):
    """True if the docs show FMT whole (placeholders for its conversions), or
    a code span cuts it short with an ellipsis after at least 20 bytes of
    its literal beginning."""
    if reason_regex(fmt).search(prose):
        return True
    head = CONV.split(fmt)[0].replace("%%", "%")
    for s in spans:
        cut = re.split(r"\.\.\.|…", s)
        if len(cut) > 1 and len(cut[0].strip()) >= 20 and head.startswith(cut[0].strip()):
            return True
    return False


def check_reasons(src, docs):
    pages = read_contract_docs(docs)
    prose = normalize("\n".join(t for _, t in pages))
    spans = code_spans(prose)
    missing, seen, total = [], set(), 0
    for path in sorted(glob.glob(os.path.join(src, "*.c"))):
        for line, fmt in reject_formats(path):
            if (os.path.basename(path), fmt) in seen:
                continue
            seen.add((os.path.basename(path), fmt))
            total += 1
            if not documented(fmt, prose, spans):
                missing.append('%s:%d: rejection "%s" not in %s/contracts/*.md' %
                               (os.path.relpath(path, ROOT), line, fmt, docs))
    if total < 100:  # a reader that finds nothing must not pass
        die("only %d rejection reasons found in %s/*.c" % (total, src))
    return missing, total


def check_access(src, docs):
    path = os.path.join(src, "access.c")
    with open(path, encoding="utf-8") as f:
        c = strip_comments(f.read())
    m = re.search(r"access_rules\[[^]]*\]\s*=\s*\{(.*?)\n\};", c, re.S)
    n = re.search(r"class_name\(unsigned c\)\s*\{(.*?)\n\}", c, re.S)
    if not m or not n:
        die("cannot find access_rules[] or class_name() in " + path)
    rules = re.findall(r'\{\s*ACCESS_\w+\s*,\s*"([^"]*)"\s*,[^"{}]*,\s*"((?:[^"\\]|\\.)*)"\s*\}',
                       m.group(1))
    classes = re.findall(r'return\s+"([^"]*)"', n.group(1))
    if len(rules) < 10 or len(classes) < 5:
        die("access_rules[] or class_name() not understood in " + path)
    prose = normalize("\n".join(t for _, t in read_contract_docs(docs)))
    missing = []
    for name, who in rules:
        text = "not allowed: %s is for %s" % (name, c_unescape(who))
        if text not in prose:
            missing.append('access.c: refusal "%s (you are CLASS)" not in %s/contracts/*.md' %
                           (text, docs))
    for cl in classes:
        if "(you are %s)" % cl not in prose:
            missing.append('access.c: class "(you are %s)" not in %s/contracts/*.md' % (cl, docs))
    return missing, len(rules) + len(classes)


def roff_text(s):
    """One line of roff as plain text."""
    s = re.sub(r"\\f[BIRP]|\\f\(..|\\&|\\c", "", s)
    s = s.replace("\\-", "-").replace("\\(em", "-").replace('"', "")
    return re.sub(r"^\.(B|I|BI|IB|BR|RB|IR|RI|SM|SB)\s+", "", s)


def man_entries(path):
    """[(tag, body)] of every .TP entry of a man page, as plain text."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i].startswith(".TP"):
            tag = roff_text(lines[i + 1]) if i + 1 < len(lines) else ""
            j = i + 2
            # a tag written as several macro lines (.BR "log " [ ... .IR N ])
            while j < len(lines) and re.match(r"^\.(B|I|BI|IB|BR|RB|IR|RI)\s", lines[j]):
                tag += " " + roff_text(lines[j])
                j += 1
            body = []
            while j < len(lines) and not re.match(r"^\.(TP|SH|SS)\b", lines[j]):
                body.append(roff_text(lines[j]))
                j += 1
            out.append((tag, " ".join(body)))
            i = j
        else:
            i += 1
    return out


def word_in(word, text):
    return re.search(r"(?<![A-Za-z0-9_-])" + re.escape(word) + r"(?![A-Za-z0-9_-])", text)


def help_commands(text):
    """{command: [subcommands]} from the Commands: part of --help."""
    cmds, on = {}, False
    for line in text.split("\n"):
        if line.startswith("Commands:"):
            on = True
            continue
        if on and line and not line.startswith(" "):
            break
        m = re.match(r"^  ([a-z][a-z0-9-]*)(.*)$", line) if on else None
        if not m:
            continue
        name, rest = m.group(1), m.group(2)
        usage = re.split(r"\s{2,}", rest)[0].strip()  # the description follows 2+ spaces
        subs = []
        first = usage.split()[0].lstrip("[") if usage.split() else ""
        if re.match(r"^[a-z][a-z0-9-]*$", first):
            subs.append(first)
            for alt in usage.split("|")[1:]:
                w = alt.split()
                if w and re.match(r"^[a-z][a-z0-9-]*$", w[0]):
                    subs.append(w[0])
        cmds[name] = subs
    return cmds


def show_views(text):
    views, on = [], False
    for line in text.split("\n"):
        if line.startswith("views:"):
            on = True
            continue
        m = re.match(r"^  ([a-z][a-z0-9-]*)", line) if on else None
        if m:
            views.append(m.group(1))
        elif on and line and not line.startswith(" "):
            break
    return views


def check_man(mv, docs):
    page = os.path.join(docs, "mentalverse.1")
    entries = man_entries(page)
    cmds = help_commands(run(mv, "--help"))
    views = show_views(run(mv, "show", "--help"))
    if len(cmds) < 10 or len(views) < 10:
        die("--help or show --help not understood")
    missing, total = [], 0
    for name, subs in cmds.items():
        total += 1 + len(subs)
        # the tag starts with the command, or names it after " / " or ", "
        # ("share ACCOUNT / revoke ACCOUNT", "claim [STAKE], unstake STAKE")
        tags = [t for t, _ in entries
                if any(p.split()[:1] == [name] for p in re.split(r"\s+/\s+|,\s+", t))]
        if not tags:
            missing.append("command %s: no entry in %s" % (name, page))
            continue
        for s in subs:
            if not any(word_in(s, t) for t in tags):
                missing.append("command %s %s: not in the %s entry of %s" % (name, s, name, page))
    show = [b for t, b in entries if re.match(r"^show\b", t)]
    for v in views:
        total += 1
        if not any(word_in(v, b) for b in show):
            missing.append("show view %s: not in the show entry of %s" % (v, page))
    return missing, total


def main(argv):
    args = {"--mv": os.path.join(ROOT, "mentalverse"),
            "--docs": os.environ.get("MV_DOCS_DIR") or os.path.join(ROOT, "docs"),
            "--src": os.path.join(ROOT, "src", "core", "contracts")}
    what = None
    i = 1
    while i < len(argv):
        if argv[i] in args and i + 1 < len(argv):
            args[argv[i]] = argv[i + 1]
            i += 2
        elif argv[i] in ("ops", "reasons", "access", "man") and what is None:
            what = argv[i]
            i += 1
        else:
            print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
            return 2
    if what is None:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    if what == "ops":
        missing, total = check_ops(args["--mv"], args["--docs"])
    elif what == "reasons":
        missing, total = check_reasons(args["--src"], args["--docs"])
    elif what == "access":
        missing, total = check_access(args["--src"], args["--docs"])
    else:
        missing, total = check_man(args["--mv"], args["--docs"])
    for m in missing:
        print("missing: " + m)
    print("%s: %d items, %d missing" % (what, total, len(missing)))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
