"""Prepare data for a network: split, scale, encode, and score the result.

A data set from `backprop.datasets` is a list of samples X and a list of
class labels. Before training, the rows are split into a training and a
test part, the features are standardized with the training part's mean
and std, and the labels become target vectors; after training, the
network's outputs become labels again and are scored. Every function here
takes plain lists and returns new ones.

================  ===================================================
function          description
================  ===================================================
train_test_split  shuffle and split into training and test rows
standardize       z = (x - mean) / std for each feature column
one_hot           class labels to one-hot target vectors
targets           labels to the targets a network learns them from
classify          network outputs to class labels
accuracy          fraction of outputs whose class matches the label
================  ===================================================

All of them are also importable from `backprop.datasets`.

>>> X_train, X_test, y_train, y_test = train_test_split(
...     [[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1], seed=0)
>>> len(X_train), len(X_test)
(3, 1)
>>> one_hot([0, 2, 1], 3)
[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
>>> accuracy([[0.9], [0.2]], [1, 1])
0.5
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any, TypeVar

from . import _checks
from .errors import BackpropError, ShapeError
from .matrix import total

__all__ = ["train_test_split", "standardize", "one_hot", "targets",
           "classify", "accuracy"]

T = TypeVar("T")
U = TypeVar("U")

# === Splitting ==============================================================


def train_test_split(X: Sequence[T], y: Sequence[U], *,
                     test_fraction: float = 0.25, seed: Any = None
                     ) -> tuple[list[T], list[T], list[U], list[U]]:
    """Return X_train, X_test, y_train, y_test after a seeded shuffle.

    The test part has `round(len(X) * test_fraction)` rows (halves round
    up), kept between 1 and len(X) - 1 so neither part is empty. y may
    hold labels or target vectors; rows are shared, not copied.

    >>> X, y = [[0], [1], [2], [3], [4]], [0, 1, 2, 3, 4]
    >>> X_train, X_test, y_train, y_test = train_test_split(
    ...     X, y, test_fraction=0.4, seed=0)
    >>> len(X_train), len(X_test), sorted(y_train + y_test)
    (3, 2, [0, 1, 2, 3, 4])

    Raises TypeError unless X and y are lists, ShapeError if len(X) !=
    len(y), BackpropError for fewer than 2 rows or test_fraction outside
    (0, 1).
    """
    n = _checks.paired("train_test_split", X, y)
    _checks.count("train_test_split", "len(X)", n, least=2)
    f = _checks.fraction("train_test_split", "test_fraction", test_fraction)
    n_test = min(max(int(n * f + 0.5), 1), n - 1)
    order = list(range(n))
    random.Random(seed).shuffle(order)
    test, train = order[:n_test], order[n_test:]
    return ([X[i] for i in train], [X[i] for i in test],
            [y[i] for i in train], [y[i] for i in test])


# === Standardizing ==========================================================


def standardize(X: Sequence[Sequence[float]], *,
                mean: Sequence[float] | None = None,
                std: Sequence[float] | None = None
                ) -> tuple[list[list[float]], tuple[list[float],
                                                    list[float]]]:
    """Return (Z, (mean, std)), `z = (x - mean) / std` per feature column.

    `mean[j] = (1/n) sum_i X[i][j]` and
    `std[j] = sqrt((1/n) sum_i (X[i][j] - mean[j])**2)` (the population
    form). Pass the training set's mean and std to apply the same scaling
    to test data. A constant column (`std[j] == 0`) is divided by 1
    instead, so it becomes all zeros.

    >>> Z, (mean, std) = standardize([[1.0, 10.0], [3.0, 10.0]])
    >>> Z, mean, std
    ([[-1.0, 0.0], [1.0, 0.0]], [2.0, 10.0], [1.0, 1.0])
    >>> standardize([[5.0, 0.0]], mean=mean, std=std)[0]
    [[3.0, -10.0]]

    Any finite X works, even 1e308 (the sums are taken on the columns
    scaled by a power of two, so nothing overflows).

    Raises ShapeError for ragged rows or a mean/std of the wrong length,
    BackpropError if only one of mean and std is given, a std is <= 0, a
    computed std is below the smallest float, or a z given mean and std
    is beyond the largest float.
    """
    d = _checks.matrix("standardize", "X", X)
    if (mean is None) != (std is None):
        raise BackpropError("standardize: give both mean and std or "
                            "neither, got only one")
    if mean is None or std is None:
        return _fit_scaling(X, d)
    mean = _checks.numbers("standardize", "mean", mean)
    std = _checks.numbers("standardize", "std", std)
    if len(mean) != d or len(std) != d:
        raise ShapeError(f"standardize: mean and std must have {d} values "
                         f"(one per column of X), got {len(mean)} and "
                         f"{len(std)}")
    for j, s in enumerate(std):
        _checks.positive("standardize", f"std[{j}]", s)
    return _apply_scaling(X, mean, std), (mean, std)


def _moments(column: list[float]) -> tuple[int, float, float]:
    """Return (e, m, s): the column's mean and population std times 2**-e.

    The column is scaled by 2**-e so that its largest |x| lies in
    [0.5, 1): then no sum or square can overflow (1e308 * 1e308 is inf),
    and the scaling is exact, so the result is the unscaled one (values
    below 2**-1074 times the largest lose bits, far below std's last
    place). A constant column gives (0, x, 1.0), so that its z is 0.
    """
    lo, hi = min(column), max(column)
    if lo == hi:
        return 0, lo, 1.0
    e = math.frexp(max(-lo, hi))[1]
    u = [math.ldexp(x, -e) for x in column]
    m = total(u) / len(u)
    return e, m, math.sqrt(total((v - m) * (v - m) for v in u) / len(u))


def _fit_scaling(X: Sequence[Sequence[float]], d: int
                 ) -> tuple[list[list[float]], tuple[list[float],
                                                     list[float]]]:
    """Return (Z, (mean, std)) with mean and std taken from X itself."""
    moments = [_moments([row[j] for row in X]) for j in range(d)]
    mean = [math.ldexp(m, e) for e, m, _ in moments]
    std = [math.ldexp(s, e) for e, _, s in moments]
    for j, s in enumerate(std):
        if s == 0:  # e.g. the std of 5e-324 and 1e-323 is 2.5e-324
            raise BackpropError(
                f"standardize: the std of column {j} of X is below the "
                f"smallest float (5e-324); multiply the column by a "
                f"large number first")
    # z = (x - mean) / std, computed on the scaled column
    Z = [[(math.ldexp(x, -e) - m) / s
          for x, (e, m, s) in zip(row, moments)] for row in X]
    return Z, (mean, std)


def _apply_scaling(X: Sequence[Sequence[float]], mean: list[float],
                   std: list[float]) -> list[list[float]]:
    """Return z = (x - mean) / std for every entry of X."""
    d = len(mean)
    Z = [[(row[j] - mean[j]) / std[j] for j in range(d)] for row in X]
    for i, row in enumerate(Z):
        for j, z in enumerate(row):
            if math.isinf(z):
                raise BackpropError(
                    f"standardize: (X[{i}][{j}] - mean[{j}]) / std[{j}] = "
                    f"({X[i][j]!r} - {mean[j]!r}) / {std[j]!r} is beyond "
                    f"the largest float in column {j}")
    return Z


# === Labels and targets =====================================================


def one_hot(labels: Sequence[int], n_classes: int) -> list[list[float]]:
    """Return one target vector per label: 1.0 at index label, 0.0 elsewhere.

    >>> one_hot([1, 0], 2)
    [[0.0, 1.0], [1.0, 0.0]]
    >>> one_hot([3], 3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    backprop.errors.BackpropError: one_hot: each label must be ... < \
n_classes (3), got labels[0] = 3

    Raises TypeError for a label that is not an int, BackpropError for
    one outside range(n_classes).
    """
    _checks.count("one_hot", "n_classes", n_classes)
    _checks.labels("one_hot", labels)
    for i, k in enumerate(labels):
        if k >= n_classes:
            raise BackpropError(
                f"one_hot: each label must be a class number 0 <= label "
                f"< n_classes ({n_classes}), got labels[{i}] = {k}")
    return [[1.0 if j == k else 0.0 for j in range(n_classes)]
            for k in labels]


def targets(labels: Sequence[int], n_classes: int) -> list[list[float]]:
    """Return the target vectors a network learns class labels from.

    Two classes need one sigmoid output, so label k becomes `[float(k)]`;
    more classes need one softmax output per class, so the targets are
    `one_hot(labels, n_classes)`.

    >>> targets([0, 1, 1], 2)
    [[0.0], [1.0], [1.0]]
    >>> targets([0, 2], 3)
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]

    Raises what :func:`one_hot` raises.
    """
    vectors = one_hot(labels, n_classes)
    if n_classes == 2:
        return [[v[1]] for v in vectors]
    return vectors


def classify(outputs: Sequence[Sequence[float]]) -> list[int]:
    """Return the class each output vector predicts.

    A one-unit output a predicts class 1 when a >= 0.5 (a sigmoid read as
    a probability), else 0; a longer output predicts `argmax_j a[j]` (the
    first index on ties).

    >>> classify([[0.2], [0.7], [0.1, 0.6, 0.3]])
    [0, 1, 1]

    Raises ShapeError for an empty output vector.
    """
    labels = []
    for i, a in enumerate(outputs):
        if len(a) == 0:
            raise ShapeError(f"classify: each output vector must have at "
                             f"least 1 value, got outputs[{i}] = {a!r}")
        if len(a) == 1:
            labels.append(1 if a[0] >= 0.5 else 0)
        else:
            labels.append(max(range(len(a)), key=a.__getitem__))
    return labels


def accuracy(outputs: Sequence[Sequence[float]],
             labels: Sequence[int]) -> float:
    """Return the fraction of outputs whose classify() class is the label.

    >>> accuracy([[0.9], [0.2], [0.6]], [1, 0, 0])
    0.6666666666666666

    Raises ShapeError when the lengths differ, BackpropError when they
    are zero.
    """
    n = _checks.paired("accuracy", outputs, labels, "outputs labels")
    _checks.count("accuracy", "len(labels)", n)
    hits = len([p for p, k in zip(classify(outputs), labels) if p == k])
    return hits / n
