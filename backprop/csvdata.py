"""Read numbers, and whole data sets, from CSV files for the command line.

``python -m backprop predict MODEL --csv FILE`` reads one input per row;
``python -m backprop train --csv FILE`` reads features and a label
column and makes a :class:`~backprop.datasets.DataSet` of them, split,
standardized and encoded as `backprop.datasets.load` does for the
shipped data sets. A bad file is refused with one sentence that names
the file and the line (blank lines count, as in an editor), never with
a traceback: a byte that is not UTF-8, a cell too long for the csv
module, a word where a number belongs.

============  =====================================================
function      description
============  =====================================================
read_rows     the rows of a CSV file of numbers (predict --csv)
load_csv      a CSV file of features and labels, ready to train on
read_text     a file (or ``-``, standard input) as text, BOM dropped
============  =====================================================

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> path = os.path.join(folder, "points.csv")
>>> with open(path, "w") as f:
...     _ = f.write("x,y,colour\\n0,0,red\\n\\n1,1,blue\\n"
...                 "0,1,red\\n1,0,blue\\n")
>>> data, classes = load_csv(path)
>>> classes, data.labels, len(data.X[0]), data.mean
(['blue', 'red'], [1, 0, 1, 0], 2, [0.5, 0.5])
>>> read_rows(path)
Traceback (most recent call last):
  ...
backprop.errors.BackpropError: .../points.csv, line 1: expected numbers \
separated by commas, got 'x,y,colour'
"""

from __future__ import annotations

import csv
import io
import math
import sys

from . import prepare
from .datasets import DataSet, Recipe
from .errors import BackpropError
from .files import file_error

__all__ = ["read_rows", "load_csv", "read_text", "MAX_BYTES"]

MAX_BYTES = 64 * 2**20
"""The largest CSV file read (64 MiB): a bigger one, or an endless one
such as /dev/zero, is refused instead of filling the memory."""

# === Reading the text =======================================================

def _name(path: str) -> str:
    return "standard input" if path == "-" else path


def read_text(path: str) -> str:
    """Return the text of the file at path (``-``: standard input) read
    as UTF-8, without a byte-order mark.

    Raises BackpropError, naming the file and the line, for a byte that
    is not UTF-8 or a file over MAX_BYTES; OSError if it cannot be read.
    """
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        raw = stream.read(MAX_BYTES + 1) if stream is not None \
            else sys.stdin.read(MAX_BYTES + 1).encode("utf-8")
    else:
        try:
            with open(path, "rb") as f:
                raw = f.read(MAX_BYTES + 1)
        except OSError as exc:      # a sentence, not [Errno 2] ...
            raise file_error(exc, "read", path) from None
    if len(raw) > MAX_BYTES:
        raise BackpropError(f"{_name(path)}: the file is larger than "
                            f"{MAX_BYTES // 2**20} MiB; give a smaller one")
    try:
        return raw.decode("utf-8-sig")      # -sig: drop a BOM if present
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise BackpropError(
            f"{_name(path)}, line {line}: byte 0x{raw[exc.start]:02x} is "
            "not UTF-8 text; save the file as UTF-8") from None


def _short(text: str, width: int = 60) -> str:
    """Return text quoted, cut to about width characters."""
    if len(text) > width:
        text = text[:width - 3] + "..."
    return repr(text)


def _table(path: str) -> list[tuple[int, list[str]]]:
    """Return the non-blank rows of a CSV file with their line numbers."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    rows = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        what = f"a cell longer than {csv.field_size_limit():,} characters" \
            if "field larger" in str(exc) else f"not a CSV row ({exc})"
        raise BackpropError(f"{_name(path)}, line {max(reader.line_num, 1)}"
                            f": {what}") from None
    return rows


def _numbers(path: str, line: int, cells: list[str]) -> list[float]:
    try:
        row = [float(c) for c in cells]
    except ValueError:
        row = []
    if not row or not all(map(math.isfinite, row)):
        raise BackpropError(
            f"{_name(path)}, line {line}: expected numbers separated by "
            f"commas, got {_short(','.join(cells))}")
    return row


def read_rows(path: str) -> list[list[float]]:
    """Return the rows of a CSV file of numbers, one list per non-blank
    line (``-`` reads standard input).

    Raises BackpropError naming the file and the line of a row that is
    not all finite numbers, and what :func:`read_text` raises.
    """
    return [_numbers(path, line, cells) for line, cells in _table(path)]


# === A data set from a CSV file =============================================

def _label_column(label: str | None, header: list[str] | None,
                  width: int, path: str) -> int:
    """Return the index of the label column: --label N (from 1), a header
    name, or the last column."""
    if label is None:
        return width - 1
    if label.isdigit() and 1 <= int(label) <= width:
        return int(label) - 1
    if header is not None and label in header:
        return header.index(label)
    names = f"; the header names {', '.join(header)}" if header else ""
    raise BackpropError(f"--label must be a column number from 1 to "
                        f"{width} or a header name{names}, got {label!r}"
                        f" ({path})")


def _is_header(cells: list[str], skip: int) -> bool:
    for j, c in enumerate(cells):
        if j != skip:
            try:
                float(c)
            except ValueError:
                return True
    return False


def _classes(names: list[str]) -> list[str]:
    """Return the distinct labels, in numeric order if all are numbers."""
    try:
        return sorted(set(names), key=float)
    except ValueError:
        return sorted(set(names))


def load_csv(path: str, *, label: str | None = None, seed: int = 0,
             test_fraction: float = 0.25) -> tuple[DataSet, list[str]]:
    """Return (data set, class names) for a CSV file of features and a
    label column (``-``: standard input), as ``train --csv`` uses it.

    A first row with a word among the features is a header. ``label`` is
    the label column's number (from 1) or header name (default: the
    last). The labels, words or numbers, become classes 0, 1, ... in
    sorted order; files of 10 rows or more are split 75/25 into training
    and test rows with seed; the features are standardized with the
    training rows' mean and std, which the data set carries.

    Raises BackpropError naming the file and line of a bad row, for
    rows of unequal length, or fewer than two classes.
    """
    rows = _table(path)
    if not rows:
        raise BackpropError(f"{_name(path)}: no rows to train on")
    width = len(rows[0][1])
    skip = width - 1 if label is None else \
        int(label) - 1 if label.isdigit() else -1
    header = rows[0][1] if width > 1 and _is_header(rows[0][1], skip) \
        else None
    col = _label_column(label, header, width, _name(path))
    X, names = [], []
    for line, cells in rows[1:] if header else rows:
        if len(cells) != width:
            raise BackpropError(f"{_name(path)}, line {line}: expected "
                                f"{width} columns, got {len(cells)}")
        X.append(_numbers(path, line, cells[:col] + cells[col + 1:]))
        names.append(cells[col].strip())
    classes = _classes(names)
    if len(classes) < 2 or width < 2:
        raise BackpropError(f"{_name(path)}: needs at least one feature "
                            "column and two different labels to train on")
    return _dataset(_name(path), X, [classes.index(n) for n in names],
                    len(classes), seed, test_fraction), classes


def _dataset(name: str, X: list[list[float]], labels: list[int], k: int,
             seed: int, test_fraction: float) -> DataSet:
    """Split, standardize and encode, as datasets.load does."""
    X_test: list[list[float]] = []
    labels_test: list[int] = []
    if len(X) >= 10:
        X, X_test, labels, labels_test = prepare.train_test_split(
            X, labels, test_fraction=test_fraction, seed=seed)
    X, (mean, std) = prepare.standardize(X)
    if X_test:
        X_test, _ = prepare.standardize(X_test, mean=mean, std=std)
    recipe = Recipe((8,), "sigmoid", "sigmoid" if k == 2 else "softmax",
                    "binary_cross_entropy" if k == 2
                    else "categorical_cross_entropy",
                    200, 0.5, 10 if len(X) > 20 else None)
    return DataSet(name, X, prepare.targets(labels, k), labels, X_test,
                   prepare.targets(labels_test, k), labels_test,
                   mean, std, recipe)
