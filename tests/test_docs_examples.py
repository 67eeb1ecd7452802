"""Run every ``>>>`` example in docs/**/*.md with doctest.

An example is either a fenced code block whose language is pycon, python,
py, doctest or none and that holds a ``>>>`` line, or a bare paragraph
that starts with ``>>>`` outside any fence.  Blocks with ``exec=`` in
their info string run at build time (markdown-exec) and are skipped here.

Each block is one test, named ``page:line`` (the line of the fence, or of
the first ``>>>``).  The blocks of a page share one namespace and run in
page order; running one block alone first runs the blocks before it on
its page, so ``-k`` selections work.

The fences are parsed here and only the body of a block goes to
``doctest.DocTestParser``: a closing fence right after expected output is
therefore never read as output.
"""
from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
# Every page under docs/, and the README's first look, by name.
PAGES = {p.relative_to(DOCS).as_posix(): p
         for p in sorted(DOCS.rglob("*.md"))}
PAGES["README.md"] = DOCS.parent / "README.md"
LANGUAGES = {"", "pycon", "python", "py", "python3", "doctest"}
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


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


def _dedent(lines: list[str], indent: str) -> list[str]:
    return [ln[len(indent):] if ln.startswith(indent) else ln.lstrip()
            for ln in lines]


def parse_examples(text: str) -> list[tuple[int, str]]:
    """Return (1-based line, body) for each example block in ``text``."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m:
            indent, fence = m.group("indent"), m.group("fence")
            close = re.compile(
                r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence))
                + r",}[ \t]*$")
            start = i
            i += 1
            body = []
            while i < len(lines) and not close.match(lines[i]):
                body.append(lines[i])
                i += 1
            i += 1  # the closing fence (or the end of the page)
            language, executed = _language(m.group("info"))
            body = _dedent(body, indent)
            if (language in LANGUAGES and not executed
                    and any(ln.lstrip().startswith(">>>") for ln in body)):
                blocks.append((start + 1, "\n".join(body) + "\n"))
        elif (lines[i].startswith(">>>")
              and (i == 0 or not lines[i - 1].strip())):
            start = i
            body = []
            while i < len(lines) and lines[i].strip():
                body.append(lines[i])
                i += 1
            blocks.append((start + 1, "\n".join(body) + "\n"))
        else:
            i += 1
    return blocks


def _collect():
    cases = []
    for rel, page in PAGES.items():
        blocks = parse_examples(page.read_text(encoding="utf-8"))
        for index, (line, _) in enumerate(blocks):
            cases.append(pytest.param(rel, index, id=f"{rel}:{line}"))
    return cases


_CASES = _collect()
_SESSIONS: dict[str, dict] = {}


def _run_block(rel: str, index: int, report: list[str] | None):
    """Run block ``index`` of page ``rel`` in the page's namespace."""
    session = _SESSIONS.setdefault(
        rel, {"globs": {"__name__": "__docs__"}, "next": 0})
    page = PAGES[rel]
    line, body = parse_examples(page.read_text(encoding="utf-8"))[index]
    parser = doctest.DocTestParser()
    # lineno is 0-based; doctest reports lineno + example.lineno + 1.
    test = parser.get_doctest(body, session["globs"], f"{rel}:{line}",
                              str(page), line)
    runner = doctest.DocTestRunner(verbose=False, optionflags=OPTIONS)
    out = report.append if report is not None else (lambda s: None)
    result = runner.run(test, out=out, clear_globs=False)
    session["globs"] = test.globs  # DocTest ran on a copy
    session["next"] = index + 1
    return result


@pytest.mark.parametrize(("rel", "index"), _CASES)
def test_example(rel: str, index: int) -> None:
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
    assert [line for line, _ in blocks] == [3, 9, 25]
    assert blocks[0][1] == ">>> 1 + 1\n2\n"
    assert blocks[1][1] == ">>> print('a')\na\n"
    assert blocks[2][1] == ">>> 'bare'\n'bare'\n"


@pytest.mark.parametrize("rel", sorted(PAGES))
def test_page_holds_no_control_characters(rel: str) -> None:
    # e.g. a backspace where "\b" of "\bigl" was meant: the page would
    # build and show a broken formula
    text = PAGES[rel].read_text(encoding="utf-8")
    bad = sorted({hex(ord(c)) for c in text
                  if ord(c) < 32 and c not in "\n\t"})
    assert not bad, f"{rel} holds control characters {bad}"
