"""Small data sets to train on, and the helpers that prepare them.

The logic gates are the classic first problems (XOR is the one a network
without a hidden layer cannot learn); the 2-D generators make seeded toy
classification problems that can be drawn with `backprop.plot`; the wheat
seeds are a small real data set shipped inside the package. Gates return
`(X, y)` with target vectors; the generators and `wheat_seeds` return
`(X, labels)` with integer class labels, which `one_hot` turns into targets.

================  ===================================================
function          description
================  ===================================================
xor, and_, or_    the four rows of a two-input logic gate
two_moons         two interleaving half circles
circles           a small circle inside a large one
spirals           interleaved spiral arms, one per class
wheat_seeds       210 wheat kernels, 7 features, 3 varieties (UCI)
train_test_split  shuffle and split into training and test rows
standardize       z = (x - mean) / std for each feature column
one_hot           class labels to one-hot target vectors
classify          network outputs to class labels
accuracy          fraction of outputs whose class matches the label
================  ===================================================

>>> X, y = xor()
>>> X
[[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
>>> y
[[0.0], [1.0], [1.0], [0.0]]
>>> X, labels = two_moons(100, seed=0)
>>> len(X), labels[:6]
(100, [0, 1, 0, 1, 0, 1])
>>> one_hot([0, 2, 1], 3)
[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import pkgutil
import random
from collections.abc import Callable, Sequence
from typing import Any

from .errors import BackpropError, ShapeError

__all__ = [
    "xor", "and_", "or_", "two_moons", "circles", "spirals", "wheat_seeds",
    "WHEAT_FEATURES", "WHEAT_VARIETIES", "train_test_split", "standardize",
    "one_hot", "classify", "accuracy",
]

# === Validation helpers (shared with backprop.plot) ===


def _check_count(func: str, name: str, n: Any, least: int = 1) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"{func} requires {name} to be an int, "
                        f"got {type(n).__name__}")
    if n < least:
        raise BackpropError(f"{func} requires {name} >= {least}, got {n}")


def _check_real(func: str, name: str, x: Any, low: float | None = None,
                ) -> None:
    if not isinstance(x, numbers.Real) or isinstance(x, bool):
        raise TypeError(f"{func} requires {name} to be a real number, "
                        f"got {type(x).__name__}")
    if not math.isfinite(x) or (low is not None and x < low):
        need = "" if low is None else f" >= {low}"
        raise BackpropError(f"{func} requires a finite {name}{need}, "
                            f"got {x!r}")


def _check_fraction(func: str, name: str, x: Any) -> None:
    _check_real(func, name, x)
    if not 0 < x < 1:
        raise BackpropError(f"{func} requires 0 < {name} < 1, got {x!r}")


def _check_matrix(func: str, name: str, X: Any) -> int:
    """Check X is a non-empty list of equal-length rows of finite reals;
    return the row length."""
    if not isinstance(X, Sequence) or isinstance(X, str) or not X:
        raise BackpropError(f"{func} requires {name} to be a non-empty list "
                            f"of rows, got {X!r:.60}")
    for i, row in enumerate(X):
        # the isinstance test runs first, so len(X[0]) is safe after it
        if not isinstance(row, Sequence) or not row or len(row) != len(X[0]):
            raise ShapeError(f"{func} requires the rows of {name} to be "
                             f"non-empty lists of equal length, got "
                             f"{name}[0] = {X[0]!r:.40} and "
                             f"{name}[{i}] = {row!r:.40}")
        for v in row:
            _check_real(func, f"{name}[{i}] entry", v)
    return len(X[0])


def _check_labels(func: str, labels: Any, n: int | None = None) -> None:
    if not isinstance(labels, Sequence) or n not in (None, len(labels)):
        raise ShapeError(f"{func} requires a list of labels (one per row "
                         f"of X), got {labels!r:.60}")
    for i, k in enumerate(labels):
        _check_count(func, f"labels[{i}]", k, least=0)


# === Logic gates ===


def _gate(rule: Callable[[int, int], int]) -> tuple[list, list]:
    X = [[float(p), float(q)] for p in (0, 1) for q in (0, 1)]
    y = [[float(rule(p, q))] for p in (0, 1) for q in (0, 1)]
    return X, y


def xor() -> tuple[list[list[float]], list[list[float]]]:
    """Return the XOR truth table as (X, y): y = 1 when exactly one input is 1.

    >>> X, y = xor()
    >>> X
    [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    >>> y
    [[0.0], [1.0], [1.0], [0.0]]
    """
    return _gate(lambda p, q: p ^ q)


def and_() -> tuple[list[list[float]], list[list[float]]]:
    """Return the AND truth table as (X, y): y = 1 when both inputs are 1.

    The trailing underscore avoids the keyword, as in `operator.and_`.

    >>> and_()[1]
    [[0.0], [0.0], [0.0], [1.0]]
    """
    return _gate(lambda p, q: p & q)


def or_() -> tuple[list[list[float]], list[list[float]]]:
    """Return the OR truth table as (X, y): y = 1 when any input is 1.

    >>> or_()[1]
    [[0.0], [1.0], [1.0], [1.0]]
    """
    return _gate(lambda p, q: p | q)


# === Seeded 2-D generators ===
# Sample i belongs to class i % classes, so classes are balanced and
# interleaved: per-sample SGD without shuffling still sees every class.


def two_moons(n: int, *, noise: float = 0.1, seed: Any = None
              ) -> tuple[list[list[float]], list[int]]:
    """Return n points on two interleaving half circles as (X, labels).

    With t uniform in [0, pi] and Gaussian noise `e ~ N(0, noise**2)` on
    each coordinate, class 0 is `(cos t, sin t) + e` and class 1 is
    `(1 - cos t, 0.5 - sin t) + e`.

    >>> X, labels = two_moons(4, noise=0.0, seed=1)
    >>> for x, k in zip(X, labels):
    ...     print(round(x[0], 6), round(x[1], 6), k)
    0.912223 0.409693 0
    0.304243 -0.218277 1
    -0.458444 0.888723 0
    0.003963 0.411061 1

    Raises TypeError or BackpropError for a bad n or noise.
    """
    _check_count("two_moons", "n", n)
    _check_real("two_moons", "noise", noise, low=0.0)
    rng = random.Random(seed)
    X, labels = [], []
    for i in range(n):
        t = math.pi * rng.random()
        c, s = math.cos(t), math.sin(t)
        x1, x2 = (c, s) if i % 2 == 0 else (1.0 - c, 0.5 - s)
        X.append([x1 + rng.gauss(0.0, noise), x2 + rng.gauss(0.0, noise)])
        labels.append(i % 2)
    return X, labels


def circles(n: int, *, noise: float = 0.05, factor: float = 0.5,
            seed: Any = None) -> tuple[list[list[float]], list[int]]:
    """Return n points on two concentric circles as (X, labels).

    With t uniform in [0, 2 pi) and `e ~ N(0, noise**2)` per coordinate,
    class 0 is `(cos t, sin t) + e` (radius 1) and class 1 is
    `factor * (cos t, sin t) + e` (radius factor, 0 < factor < 1).

    >>> X, labels = circles(4, noise=0.0, factor=0.5, seed=0)
    >>> [round(math.hypot(*x), 6) for x in X], labels
    ([1.0, 0.5, 1.0, 0.5], [0, 1, 0, 1])

    Raises TypeError or BackpropError for a bad n, noise or factor.
    """
    _check_count("circles", "n", n)
    _check_real("circles", "noise", noise, low=0.0)
    _check_fraction("circles", "factor", factor)
    rng = random.Random(seed)
    X, labels = [], []
    for i in range(n):
        t = 2.0 * math.pi * rng.random()
        r = 1.0 if i % 2 == 0 else factor
        X.append([r * math.cos(t) + rng.gauss(0.0, noise),
                  r * math.sin(t) + rng.gauss(0.0, noise)])
        labels.append(i % 2)
    return X, labels


def spirals(n: int, *, classes: int = 2, turns: float = 1.0,
            noise: float = 0.05, seed: Any = None
            ) -> tuple[list[list[float]], list[int]]:
    """Return n points on interleaved spiral arms, one per class.

    With t uniform in [0, 1], the arm of class k (of K = classes) is
    `r = t`, `theta = 2 pi (turns * t + k / K)`, the point
    `(r cos theta, r sin theta) + e` with `e ~ N(0, noise**2)` per
    coordinate.

    >>> X, labels = spirals(6, classes=3, noise=0.0, seed=0)
    >>> labels
    [0, 1, 2, 0, 1, 2]
    >>> [round(math.hypot(*x), 6) for x in X[:3]]
    [0.844422, 0.258917, 0.783799]

    Raises TypeError or BackpropError for a bad n, classes, turns or noise.
    """
    _check_count("spirals", "n", n)
    _check_count("spirals", "classes", classes, least=2)
    _check_real("spirals", "turns", turns, low=0.0)
    _check_real("spirals", "noise", noise, low=0.0)
    rng = random.Random(seed)
    X, labels = [], []
    for i in range(n):
        k, t = i % classes, rng.random()
        theta = 2.0 * math.pi * (turns * t + k / classes)
        X.append([t * math.cos(theta) + rng.gauss(0.0, noise),
                  t * math.sin(theta) + rng.gauss(0.0, noise)])
        labels.append(k)
    return X, labels


# === A real data set ===

WHEAT_FEATURES = ("area", "perimeter", "compactness", "kernel_length",
                  "kernel_width", "asymmetry", "groove_length")
WHEAT_VARIETIES = ("Kama", "Rosa", "Canadian")


def wheat_seeds() -> tuple[list[list[float]], list[int]]:
    """Return the UCI "seeds" data set as (X, labels): 210 wheat kernels.

    Each row of X holds the 7 measurements named in WHEAT_FEATURES (from
    X-ray images of the kernels); labels are 0, 1, 2 for the varieties in
    WHEAT_VARIETIES (the file's 1, 2, 3), 70 kernels each.

    Source: M. Charytanowicz, J. Niewczas, P. Kulczycki, P. A. Kowalski,
    S. Lukasik, S. Zak, "Complete Gradient Clustering Algorithm for
    Features Analysis of X-ray Images", Information Technologies in
    Biomedicine, Springer, 2010; UCI Machine Learning Repository,
    https://doi.org/10.24432/C5H30K, licensed CC BY 4.0.

    >>> X, labels = wheat_seeds()
    >>> len(X), X[0], labels[0]
    (210, [15.26, 14.84, 0.871, 5.763, 3.312, 2.221, 5.22], 0)
    """
    # pkgutil.get_data reads through the module's loader, so this works
    # from a zip file too, on every Python from 3.8 on.
    raw = pkgutil.get_data(__name__, "data/wheat-seeds.csv")
    if raw is None:  # only when the loader cannot read files at all
        raise BackpropError("wheat_seeds could not read data/wheat-seeds.csv")
    X, labels = [], []
    for row in csv.reader(io.StringIO(raw.decode("ascii"))):
        X.append([float(v) for v in row[:-1]])
        labels.append(int(row[-1]) - 1)
    return X, labels


# === Preparing data ===


def train_test_split(X: Sequence, y: Sequence, *,
                     test_fraction: float = 0.25, seed: Any = None
                     ) -> tuple[list, list, list, list]:
    """Return X_train, X_test, y_train, y_test after a seeded shuffle.

    The test part has `round(len(X) * test_fraction)` rows (halves round
    up), kept between 1 and len(X) - 1 so neither part is empty. y may
    hold labels or target vectors; rows are shared, not copied.

    >>> X, y = [[0], [1], [2], [3], [4]], [0, 1, 2, 3, 4]
    >>> X_train, X_test, y_train, y_test = train_test_split(
    ...     X, y, test_fraction=0.4, seed=0)
    >>> len(X_train), len(X_test), sorted(y_train + y_test)
    (3, 2, [0, 1, 2, 3, 4])

    Raises ShapeError if len(X) != len(y), BackpropError for fewer than
    2 rows or test_fraction outside (0, 1).
    """
    if not isinstance(X, Sequence) or not isinstance(y, Sequence):
        raise TypeError(f"train_test_split requires X and y to be lists, "
                        f"got {type(X).__name__} and {type(y).__name__}")
    if len(X) != len(y):
        raise ShapeError(f"train_test_split requires len(X) == len(y), "
                         f"got {len(X)} and {len(y)}")
    _check_count("train_test_split", "len(X)", len(X), least=2)
    _check_fraction("train_test_split", "test_fraction", test_fraction)
    n = len(X)
    n_test = min(max(int(n * test_fraction + 0.5), 1), n - 1)
    order = list(range(n))
    random.Random(seed).shuffle(order)
    test, train = order[:n_test], order[n_test:]
    return ([X[i] for i in train], [X[i] for i in test],
            [y[i] for i in train], [y[i] for i in test])


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
    m = math.fsum(u) / len(u)
    return e, m, math.sqrt(math.fsum((v - m) * (v - m) for v in u) / len(u))


def standardize(X: Sequence, *, mean: Sequence | None = None,
                std: Sequence | None = None
                ) -> tuple[list[list[float]], tuple[list, list]]:
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
    d = _check_matrix("standardize", "X", X)
    if (mean is None) != (std is None):
        raise BackpropError("standardize requires both mean and std or "
                            "neither, got only one")
    if mean is None:
        moments = [_moments([row[j] for row in X]) for j in range(d)]
        mean = [math.ldexp(m, e) for e, m, _ in moments]
        std = [math.ldexp(s, e) for e, _, s in moments]
        for j, s in enumerate(std):
            if s == 0:  # e.g. the std of 5e-324 and 1e-323 is 2.5e-324
                raise BackpropError(
                    f"standardize: the std of column {j} of X is below the "
                    f"smallest float (5e-324); multiply the column by a "
                    f"large number first")
        Z = [[(math.ldexp(x, -e) - m) / s
              for x, (e, m, s) in zip(row, moments)] for row in X]
    else:
        _check_matrix("standardize", "[mean, std]", [mean, std])
        if len(mean) != d:
            raise ShapeError(f"standardize requires mean and std of length "
                             f"{d} (columns of X), got {len(mean)}")
        for j, s in enumerate(std):
            if s <= 0:
                raise BackpropError(f"standardize requires std > 0, got "
                                    f"std[{j}] = {s!r}")
        mean, std = list(mean), list(std)
        Z = [[(row[j] - mean[j]) / std[j] for j in range(d)] for row in X]
        for i, row in enumerate(Z):
            for j, z in enumerate(row):
                if math.isinf(z):
                    raise BackpropError(
                        f"standardize: (X[{i}][{j}] - mean[{j}]) / std[{j}]"
                        f" = ({X[i][j]!r} - {mean[j]!r}) / {std[j]!r} is "
                        f"beyond the largest float in column {j}")
    return Z, (mean, std)


def one_hot(labels: Sequence[int], n_classes: int) -> list[list[float]]:
    """Return one target vector per label: 1.0 at index label, 0.0 elsewhere.

    >>> one_hot([1, 0], 2)
    [[0.0, 1.0], [1.0, 0.0]]
    >>> one_hot([3], 3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    backprop.errors.BackpropError: one_hot requires 0 <= label < n_classes ...

    Raises TypeError for a label that is not an int, BackpropError for
    one outside range(n_classes).
    """
    _check_count("one_hot", "n_classes", n_classes)
    _check_labels("one_hot", labels)
    targets = []
    for i, k in enumerate(labels):
        if k >= n_classes:
            raise BackpropError(f"one_hot requires 0 <= label < n_classes "
                                f"({n_classes}), got labels[{i}] = {k}")
        targets.append([1.0 if j == k else 0.0 for j in range(n_classes)])
    return targets


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
            raise ShapeError(f"classify requires non-empty output vectors, "
                             f"got outputs[{i}] = {a!r}")
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

    Raises ShapeError when the lengths differ or are zero.
    """
    if len(outputs) != len(labels) or not labels:
        raise ShapeError(f"accuracy requires as many outputs as labels (at "
                         f"least 1), got {len(outputs)} and {len(labels)}")
    hits = sum(p == k for p, k in zip(classify(outputs), labels))
    return hits / len(labels)
