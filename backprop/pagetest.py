"""Check the ``>>>`` examples of a docs page with nothing but Python:
``python -m backprop doctest PATH...``.

``python -m doctest page.md`` cannot check these pages: it reads a
closing fence as expected output, and the pages rely on doctest's
``ELLIPSIS`` and ``NORMALIZE_WHITESPACE`` options. This module finds the
examples of a Markdown page the way the docs test does (the test imports
`parse_examples` from here, so the two cannot drift), runs them
with the standard `doctest` module and those two options, and ends
with a line ``N passed, N failed`` (plus ``N skipped`` when a page needs
a module that is not installed, such as NumPy).

An example is a fenced code block whose language is pycon, python, py,
python3, doctest or none and that holds a ``>>>`` line, or a bare
paragraph that starts with ``>>>`` outside any fence. Blocks with
``exec=`` in their info string run when the site is built (markdown-exec)
and are not doctests. The blocks of a page share one namespace and run in
page order, each page in a fresh temporary working folder. A module
(``backprop.matrix`` or a ``.py`` path) runs its docstrings' examples as
``doctest`` does.

===============  ======================================================
name             what it is
===============  ======================================================
pagetest         run the examples of pages and modules, print a report
parse_examples   the example blocks of a Markdown text
Block            one block: its line, its body, the body's first line
block_test       a block as a ``doctest.DocTest`` in a page's namespace
missing_modules  the modules a page imports that are not installed
targets          the pages and modules that command-line paths name
===============  ======================================================

>>> page = "Text.\\n\\n```pycon\\n>>> 1 + 1\\n2\\n```\\n"
>>> parse_examples(page)
[Block(line=3, body='>>> 1 + 1\\n2\\n', first=4)]
>>> missing_modules(parse_examples(">>> import no_such_module_here\\n"))
['no_such_module_here']
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import importlib
import importlib.util
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple, TextIO

from .errors import BackpropError

__all__ = ["pagetest", "parse_examples", "Block", "block_test",
           "missing_modules", "targets", "OPTIONS", "LANGUAGES"]

OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
"""The doctest options, the same as the pytest run's."""

LANGUAGES = {"", "pycon", "python", "py", "python3", "doctest"}
"""The fence languages whose ``>>>`` blocks are examples."""

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


class Block(NamedTuple):
    """One example block of a page."""

    line: int
    """The 1-based line of the opening fence, or of a bare ``>>>``."""
    body: str
    """The block's text, fences and indentation removed."""
    first: int
    """The 1-based line of the body's first line."""


# === Finding the examples ===================================================

def _language(info: str) -> tuple[str, bool]:
    """Return the language of a fence's info string and if it has exec=."""
    info = info.strip()
    if info.startswith("{"):  # ``` {.python .class}
        info = info.strip("{}").strip()
    words = info.split()
    language = words[0].lstrip(".").lower() if words else ""
    if "=" in language:  # ```exec="on" with no language
        language = ""
    return language, "exec=" in info


def _fenced(lines: list[str], i: int, m: re.Match) -> tuple[int, Block | None]:
    """Return the index after the fence opened at lines[i], and its
    block if it is an example."""
    indent, fence = m.group("indent"), m.group("fence")
    # A fence closes with the same character, at least as many times.
    close = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{"
                       + str(len(fence)) + r",}[ \t]*$")
    end = i + 1
    while end < len(lines) and not close.match(lines[end]):
        end += 1
    body = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip()
            for ln in lines[i + 1:end]]
    language, executed = _language(m.group("info"))
    if (language in LANGUAGES and not executed
            and any(ln.lstrip().startswith(">>>") for ln in body)):
        return end + 1, Block(i + 1, "\n".join(body) + "\n", i + 2)
    return end + 1, None


def parse_examples(text: str) -> list[Block]:
    """Return the example blocks of the Markdown ``text``, in page order.

    Only a block's body goes to doctest, so a closing fence right after
    expected output is never read as output.

    >>> [b.line for b in parse_examples(">>> 'bare'\\n'bare'\\n")]
    [1]
    """
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m:
            i, block = _fenced(lines, i, m)
            if block:
                blocks.append(block)
        elif (lines[i].startswith(">>>")
              and (i == 0 or not lines[i - 1].strip())):
            start = i
            while i < len(lines) and lines[i].strip():
                i += 1
            blocks.append(Block(start + 1, "\n".join(lines[start:i]) + "\n",
                                start + 1))
        else:
            i += 1
    return blocks


def block_test(block: Block, globs: dict, name: str, filename: str
               ) -> doctest.DocTest:
    """Return block as a DocTest named name that runs in a copy of globs;
    its failures name the lines of the page."""
    # lineno is 0-based: doctest reports lineno + example.lineno + 1.
    return doctest.DocTestParser().get_doctest(
        block.body, globs, name, filename, block.first - 1)


def _installed(name: str) -> bool:
    try:
        return name in sys.modules or \
            importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def missing_modules(blocks: Sequence[Block]) -> list[str]:
    """Return the top-level modules that the blocks import and that are
    not installed, in name order: a page that needs them is skipped."""
    names: set[str] = set()
    for block in blocks:
        try:
            examples = doctest.DocTestParser().get_examples(block.body)
        except ValueError:        # the run reports the broken block
            continue
        for example in examples:
            try:
                tree = ast.parse(example.source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and not node.level \
                        and node.module:
                    names.add(node.module.split(".")[0])
    return sorted(n for n in names if not _installed(n))


# === What the command line names ============================================

def _module_name(path: Path) -> tuple[str, str]:
    """Return (folder for sys.path, module name) of a .py file, walking
    up through the packages (folders with an __init__.py) it is in."""
    path = path.resolve()
    parts = [] if path.stem == "__init__" else [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return str(folder), ".".join(parts)


def targets(paths: Sequence[str]) -> list[tuple[str, str]]:
    """Return ("page", file) or ("module", name) for each path: a
    Markdown file, a folder (its .md files, sorted), a .py file or a
    module name. A path that names nothing raises BackpropError. The
    folder above a .py file's packages goes on sys.path, to import it.

    >>> targets(["backprop.matrix"])
    [('module', 'backprop.matrix')]
    """
    found = []
    for arg in paths:
        path = Path(arg)
        if path.is_dir():
            pages = sorted(path.rglob("*.md"))
            if not pages:
                raise BackpropError(f"{arg}: no Markdown pages in it")
            found += [("page", p.as_posix()) for p in pages]
        elif path.is_file() and path.suffix == ".py":
            folder, name = _module_name(path)
            if folder not in sys.path:
                sys.path.insert(0, folder)
            found.append(("module", name))
        elif path.is_file():
            found.append(("page", path.as_posix()))
        elif re.fullmatch(r"\w+(\.\w+)*", arg) and not arg.endswith(
                (".md", ".py")) and _installed(arg):
            found.append(("module", arg))
        else:
            raise BackpropError(f"{arg}: there is no such file, folder "
                                "or module")
    if any(name.split(".")[-1] == "__main__" for _, name in found):
        raise BackpropError("a __main__ module runs when imported; "
                            "name its package's other modules instead")
    return found


# === Running ================================================================

@contextlib.contextmanager
def _temporary_folder() -> Iterator[None]:
    """Work in a new temporary folder; come back and remove it after."""
    home = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="backprop-doctest-") as folder:
        os.chdir(folder)
        try:
            yield
        finally:
            os.chdir(home)          # before the folder is removed


def _run_page(path: str, file: str, out: TextIO) -> tuple[int, int, str]:
    """Return (attempted, failed, note) for the examples of the page path
    (the absolute file), run in one namespace; doctest writes each
    failure's report to out."""
    blocks = parse_examples(Path(file).read_text(encoding="utf-8"))
    missing = missing_modules(blocks)
    if missing:
        n = len([ln for b in blocks for ln in b.body.splitlines()
                 if ln.lstrip().startswith(">>>")])
        return n, 0, f"skipped: needs {', '.join(missing)}"
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    globs: dict = {"__name__": "__docs__"}
    attempted = failed = 0
    for block in blocks:
        name = f"{path}:{block.line}"
        try:
            test = block_test(block, globs, name, file)
        except ValueError as exc:   # doctest cannot parse the block
            print(f"{name}: {exc}", file=out)
            failed += 1
            continue
        result = runner.run(test, out=out.write, clear_globs=False)
        globs = test.globs          # the DocTest ran on a copy
        attempted, failed = attempted + result.attempted, \
            failed + result.failed
    return attempted, failed, ""


def _run_module(name: str, out: TextIO) -> tuple[int, int, str]:
    """Return (attempted, failed, note) for the module's docstrings."""
    try:
        module = importlib.import_module(name)
    except Exception as exc:        # counted as one failure
        print(f"{name}: cannot import it: {exc!r}", file=out)
        return 1, 1, "cannot import it"
    if sys.flags.optimize >= 2:
        return 0, 0, "no examples: python -OO strips docstrings"
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    attempted = failed = 0
    for test in doctest.DocTestFinder().find(module):
        result = runner.run(test, out=out.write)
        attempted, failed = attempted + result.attempted, \
            failed + result.failed
    return attempted, failed, ""


def pagetest(paths: Sequence[str], *, out: TextIO | None = None
             ) -> tuple[int, int, int]:
    """Return (passed, failed, skipped), counting examples, after running
    the examples of the pages and modules that paths name (see
    `targets`). The report goes to out (default: sys.stdout): one
    line per page or module, then ``N passed, N failed`` and, if a page
    was skipped, ``, N skipped``.

    Raises BackpropError, before running anything, for a path that names
    no file, folder or module; errors in the examples are counted.
    """
    out = sys.stdout if out is None else out
    found = targets(paths)
    width = max(len(name) for _, name in found)
    passed = failed = skipped = 0
    for kind, name in found:
        file = os.path.abspath(name)    # before the working folder changes
        with _temporary_folder():
            if kind == "page":
                n, bad, note = _run_page(name, file, out)
            else:
                n, bad, note = _run_module(name, out)
        if note.startswith("skipped"):
            skipped += n
        else:
            passed, failed = passed + n - bad, failed + bad
            note = note or (f"{bad} failed" if bad else "")
        note = f"  ({note})" if note else ""
        print(f"  {name:<{width}} {n:>4} examples{note}", file=out)
    tail = f", {skipped} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{tail}", file=out)
    return passed, failed, skipped
