"""Run every ``>>>`` example in docs/**/*.md with doctest.

An example is either a fenced code block whose language is pycon, python,
py, doctest or none and that holds a ``>>>`` line, or a bare paragraph
that starts with ``>>>`` outside any fence.  Blocks with ``exec=`` in
their info string run at build time (markdown-exec) and are skipped here.

The blocks are found by ``backprop.pagetest.parse_examples``, the same
function that ``python -m backprop doctest`` uses, so the test and the
command run exactly the same examples.  Each block is one test, named
``page:line`` (the line of the fence, or of the first ``>>>``).  The
blocks of a page share one namespace and run in page order, in a
temporary working folder of the page's own; running one block alone
first runs the blocks before it on its page, so ``-k`` selections work.
A page that imports a module that is not installed (e.g. numpy) is
skipped, as the command skips it.

Only the body of a block goes to ``doctest.DocTestParser``: a closing
fence right after expected output is therefore never read as output.
"""
from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from backprop.pagetest import (
    OPTIONS,
    block_test,
    missing_modules,
    parse_examples,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"
# Every page under docs/, and the README's first look, by name.
PAGES = {p.relative_to(DOCS).as_posix(): p
         for p in sorted(DOCS.rglob("*.md"))}
PAGES["README.md"] = DOCS.parent / "README.md"


def _collect():
    cases = []
    for rel, page in PAGES.items():
        blocks = parse_examples(page.read_text(encoding="utf-8"))
        for index, block in enumerate(blocks):
            cases.append(pytest.param(rel, index, id=f"{rel}:{block.line}"))
    return cases


_CASES = _collect()
_SESSIONS: dict[str, dict] = {}
_FOLDERS: dict[str, Path] = {}


def _run_block(rel: str, index: int, report: list[str] | None):
    """Run block ``index`` of page ``rel`` in the page's namespace."""
    session = _SESSIONS.setdefault(
        rel, {"globs": {"__name__": "__docs__"}, "next": 0})
    page = PAGES[rel]
    block = parse_examples(page.read_text(encoding="utf-8"))[index]
    test = block_test(block, session["globs"], f"{rel}:{block.line}",
                      str(page))
    runner = doctest.DocTestRunner(verbose=False, optionflags=OPTIONS)
    out = report.append if report is not None else (lambda s: None)
    result = runner.run(test, out=out, clear_globs=False)
    session["globs"] = test.globs  # DocTest ran on a copy
    session["next"] = index + 1
    return result


@pytest.mark.parametrize(("rel", "index"), _CASES)
def test_example(rel: str, index: int, tmp_path_factory,
                 monkeypatch) -> None:
    missing = missing_modules(parse_examples(
        PAGES[rel].read_text(encoding="utf-8")))
    if missing:
        pytest.skip(f"{rel} needs {', '.join(missing)}")
    folder = _FOLDERS.get(rel)
    if folder is None:
        folder = _FOLDERS[rel] = tmp_path_factory.mktemp("page")
    monkeypatch.chdir(folder)       # the page's own working folder
    session = _SESSIONS.get(rel)
    start = session["next"] if session else 0
    for earlier in range(start, index):
        _run_block(rel, earlier, None)
    report: list[str] = []
    result = _run_block(rel, index, report)
    assert result.attempted > 0, f"{rel}: block {index} has no example"
    if result.failed:
        pytest.fail("".join(report), pytrace=False)


def test_parser_keeps_closing_fence_out_of_output() -> None:
    page = (
        "Text.\n\n"
        "```pycon\n>>> 1 + 1\n2\n```\n\n"
        "!!! note\n    ```python\n    >>> print('a')\n    a\n    ```\n\n"
        "````markdown\n```pycon\n>>> not_run\n```\n````\n\n"
        '```python exec="on"\nprint(1)\n>>> not_run\n```\n\n'
        ">>> 'bare'\n'bare'\n"
    )
    blocks = parse_examples(page)
    assert [b.line for b in blocks] == [3, 9, 25]
    assert [b.first for b in blocks] == [4, 10, 25]
    assert blocks[0].body == ">>> 1 + 1\n2\n"
    assert blocks[1].body == ">>> print('a')\na\n"
    assert blocks[2].body == ">>> 'bare'\n'bare'\n"


@pytest.mark.parametrize("rel", sorted(PAGES))
def test_page_holds_no_control_characters(rel: str) -> None:
    # e.g. a backspace where "\b" of "\bigl" was meant: the page would
    # build and show a broken formula
    text = PAGES[rel].read_text(encoding="utf-8")
    bad = sorted({hex(ord(c)) for c in text
                  if ord(c) < 32 and c not in "\n\t"})
    assert not bad, f"{rel} holds control characters {bad}"
