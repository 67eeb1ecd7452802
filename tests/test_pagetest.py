"""``python -m backprop doctest PATH...``: the examples of Markdown pages
and modules, checked with nothing but Python (backprop.pagetest)."""
import os
import re

import pytest
from clitools import ROOT, needs_subprocess, run_backprop

import test_docs_examples
from backprop import pagetest
from backprop.cli import main

COUNTS = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$")

PAGE = """\
# A page

```pycon
>>> x = 1 + 1
>>> x
2
```

Text between the blocks; the next one sees x.

>>> x + 1
4

```python exec="on"
print("built with the site, not a doctest")
```

```pycon
>>> print("a long line")          # NORMALIZE_WHITESPACE and ELLIPSIS
a   long ...
```
"""


run = run_backprop


def counts(out):
    m = COUNTS.match(out.splitlines()[-1])
    assert m, out
    return tuple(int(n or 0) for n in m.groups())


def test_a_passing_and_a_failing_example(tmp_path, capsys):
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["doctest", str(page)]) == 1
    out = capsys.readouterr().out
    assert counts(out) == (3, 1, 0)
    # the failure names the page's own line: the bare ">>> x + 1"
    assert f'File "{page}", line 11' in out
    assert "Expected:\n    4\nGot:\n    3" in out


@needs_subprocess
def test_all_passing_exits_0_and_runs_in_a_temporary_folder(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(">>> import os\n>>> os.path.exists('page.md')\n"
                    "False\n>>> with open('out.txt', 'w') as f:\n"
                    "...     _ = f.write('x')\n", encoding="utf-8")
    r = run("doctest", "page.md", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert counts(r.stdout) == (3, 0, 0)
    assert sorted(os.listdir(tmp_path)) == ["page.md"]   # nothing left


def test_a_page_needing_a_missing_module_is_skipped(tmp_path, capsys):
    (tmp_path / "a.md").write_text(">>> 1\n1\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(
        "```pycon\n>>> import no_such_module_xyz as np\n>>> np.zeros(2)\n"
        "```\n", encoding="utf-8")
    assert main(["doctest", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert counts(out) == (1, 0, 2)
    assert "skipped: needs no_such_module_xyz" in out


def test_modules_by_name_and_by_path(capsys):
    assert main(["doctest", "backprop.matrix",
                 str(ROOT / "backprop" / "losses.py")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"backprop\.matrix +\d+ examples", out)
    assert re.search(r"backprop\.losses +\d+ examples", out)
    passed, failed, skipped = counts(out)
    assert passed > 10 and failed == skipped == 0


@needs_subprocess
@pytest.mark.parametrize("bad", ["no/such/page.md", "no_such_module_xyz"])
def test_a_bad_path_is_one_line_and_status_2(bad):
    r = run("doctest", "README.md", bad)
    assert r.returncode == 2
    assert r.stdout == ""                     # nothing ran first
    assert r.stderr == (f"python -m backprop doctest: error: {bad}: there "
                        "is no such file, folder or module\n")


def test_extraction_is_the_docs_tests_own():
    # one function, so the command and the docs test cannot drift
    assert test_docs_examples.parse_examples is pagetest.parse_examples
    for rel, path in test_docs_examples.PAGES.items():
        text = path.read_text(encoding="utf-8")
        ids = [p.id for p in test_docs_examples._CASES
               if p.values[0] == rel]
        assert ids == [f"{rel}:{b.line}"
                       for b in pagetest.parse_examples(text)]


def test_markdown_exec_and_other_languages_are_not_examples():
    text = ('```python exec="on"\n>>> 1\n2\n```\n\n```text\n>>> 1\n2\n'
            '```\n\n~~~py\n>>> 1\n1\n~~~\n')
    assert [b.line for b in pagetest.parse_examples(text)] == [11]



def test_help_has_examples(capsys):
    with pytest.raises(SystemExit) as info:
        main(["doctest", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "python -m backprop doctest docs/tutorial/01-neuron.md" in out


def test_no_path_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["doctest"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "PATH" in err
