"""The numbers that docs/conventions.md writes out instead of drawing them.

Seed 002 draws its starting weights with NumPy's legacy generator; the
package is standard-library only, so the docs embed the nine draws as a
Python list (``draws = [...]``), and so does tutorial page 7 (``r =
[...]``). These tests read those lists from the pages and compare them
with NumPy's own draws, bit for bit.
"""
import ast
import re
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _embedded_lists(page, name):
    """Return every ``name = [...]`` list literal on a docs page."""
    text = DOCS.joinpath(page).read_text(encoding="utf-8")
    # doctest continuation prompts ("... ") are removed before parsing
    text = re.sub(r"^(\s*)(>>>|\.\.\.) ?", r"\1", text, flags=re.M)
    found = []
    for m in re.finditer(r"\b" + name + r" = (\[[^\]]*\])", text):
        found.append(ast.literal_eval(m.group(1)))
    return found


def _seed002_draws():
    np.random.seed(42)
    W1 = np.random.rand(2, 2)
    b1 = np.random.rand(2, 1)
    W2 = np.random.rand(1, 2)
    b2 = np.random.rand(1, 1)
    return [float(v) for v in np.concatenate(
        [W1.ravel(), b1.ravel(), W2.ravel(), b2.ravel()])]


@pytest.mark.parametrize(("page", "name"), [
    ("conventions.md", "draws"),
    ("tutorial/07-batch-vs-sgd.md", "r"),
])
def test_embedded_seed002_draws_are_numpys(page, name):
    lists = _embedded_lists(page, name)
    assert lists, f"{page}: no '{name} = [...]' list found"
    expected = _seed002_draws()
    for got in lists:
        assert got == expected  # exact: the floats were copied by repr
