"""Small data sets to train on, and the recipes that make them ready.

The logic gates are the classic first problems (XOR is the one a network
without a hidden layer cannot learn); the 2-D generators make seeded toy
classification problems that can be drawn with `backprop.plot`; the wheat
seeds are a small real data set shipped inside the package. Gates return
`(X, y)` with target vectors; the generators and `wheat_seeds` return
`(X, labels)` with integer class labels, which `backprop.prepare` turns
into targets. `load` does all of that by name, as ``python -m backprop
train`` does, and says which network learns the result.

================  ===================================================
name              description
================  ===================================================
xor, and_, or_    the four rows of a two-input logic gate
two_moons         two interleaving half circles
circles           a small circle inside a large one
spirals           interleaved spiral arms, one per class
wheat_seeds       210 wheat kernels, 7 features, 3 varieties (UCI)
load              a named data set split, scaled and encoded
RECIPES           the network and settings that learn each one
================  ===================================================

The helpers of `backprop.prepare` (train_test_split, standardize,
one_hot, targets, classify, accuracy) can be imported from here too.

>>> X, y = xor()
>>> X
[[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
>>> y
[[0.0], [1.0], [1.0], [0.0]]
>>> X, labels = two_moons(100, seed=0)
>>> len(X), labels[:6]
(100, [0, 1, 0, 1, 0, 1])
>>> moons = load("moons")
>>> len(moons.X), len(moons.X_test), moons.y[:2], moons.recipe.hidden
(150, 50, [[1.0], [1.0]], (8,))
"""

from __future__ import annotations

import csv
import io
import math
import pkgutil
import random
from collections.abc import Callable
from typing import Any, NamedTuple

from . import _checks
from .elementary import cos, gauss, sin
from .errors import BackpropError
from .prepare import (
    accuracy,
    classify,
    one_hot,
    standardize,
    targets,
    train_test_split,
)

__all__ = [
    "xor", "and_", "or_", "two_moons", "circles", "spirals", "wheat_seeds",
    "WHEAT_FEATURES", "WHEAT_VARIETIES", "load", "DataSet", "Recipe",
    "RECIPES",
    # from backprop.prepare
    "train_test_split", "standardize", "one_hot", "targets", "classify",
    "accuracy",
]

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
    _checks.count("two_moons", "n", n)
    noise = _checks.real("two_moons", "noise", noise, low=0.0)
    rng = random.Random(seed)
    X, labels = [], []
    for i in range(n):
        t = math.pi * rng.random()
        c, s = cos(t), sin(t)
        x1, x2 = (c, s) if i % 2 == 0 else (1.0 - c, 0.5 - s)
        X.append([x1 + gauss(rng, 0.0, noise), x2 + gauss(rng, 0.0, noise)])
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
    _checks.count("circles", "n", n)
    noise = _checks.real("circles", "noise", noise, low=0.0)
    factor = _checks.fraction("circles", "factor", factor)
    rng = random.Random(seed)
    X, labels = [], []
    for i in range(n):
        t = 2.0 * math.pi * rng.random()
        r = 1.0 if i % 2 == 0 else factor
        X.append([r * cos(t) + gauss(rng, 0.0, noise),
                  r * sin(t) + gauss(rng, 0.0, noise)])
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
    _checks.count("spirals", "n", n)
    _checks.count("spirals", "classes", classes, least=2)
    turns = _checks.real("spirals", "turns", turns, low=0.0)
    noise = _checks.real("spirals", "noise", noise, low=0.0)
    rng = random.Random(seed)
    X, labels = [], []
    for i in range(n):
        k, t = i % classes, rng.random()
        theta = 2.0 * math.pi * (turns * t + k / classes)
        X.append([t * cos(theta) + gauss(rng, 0.0, noise),
                  t * sin(theta) + gauss(rng, 0.0, noise)])
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



# === Ready to train: load a data set by name ================================


class Recipe(NamedTuple):
    """The network and training settings that learn a data set in a few
    seconds (the defaults of ``python -m backprop train``)."""

    hidden: tuple[int, ...]     # hidden layer sizes
    activation: str             # the hidden layers' activation
    output: str                 # the output layer's activation
    loss: str
    epochs: int
    eta: float
    batch_size: int | None      # None: full batch


_BCE, _CCE = "binary_cross_entropy", "categorical_cross_entropy"

RECIPES: dict[str, Recipe] = {
    "xor": Recipe((4,), "sigmoid", "sigmoid", _BCE, 5000, 1.0, None),
    "and": Recipe((4,), "sigmoid", "sigmoid", _BCE, 5000, 1.0, None),
    "or": Recipe((4,), "sigmoid", "sigmoid", _BCE, 5000, 1.0, None),
    "moons": Recipe((8,), "sigmoid", "sigmoid", _BCE, 200, 0.5, 10),
    "circles": Recipe((8,), "sigmoid", "sigmoid", _BCE, 200, 0.5, 10),
    "spirals": Recipe((16,), "tanh", "sigmoid", _BCE, 1000, 0.3, 10),
    "wheat-seeds": Recipe((8,), "sigmoid", "softmax", _CCE, 100, 0.5, 10),
}
"""The data sets that :func:`load` knows, by name, with their recipes."""

_GATES: dict[str, Callable[[], tuple[list, list]]] = {
    "xor": xor, "and": and_, "or": or_}
_POINTS: dict[str, Callable[..., tuple[list, list]]] = {
    "moons": two_moons, "circles": circles, "spirals": spirals}
POINTS = 200        # the 2-D generators' size in load


class DataSet(NamedTuple):
    """A data set as :func:`load` returns it: training and test rows,
    targets encoded for the network, and the preprocessing applied."""

    name: str
    X: list[list[float]]            # training inputs
    y: list[list[float]]            # their targets, one vector per row
    labels: list[int] | None        # their class labels (None: a gate)
    X_test: list[list[float]]       # test inputs ([] for a gate)
    y_test: list[list[float]]
    labels_test: list[int]
    mean: list[float] | None        # the standardization applied to X and
    std: list[float] | None         # X_test (None: not standardized)
    recipe: Recipe


def load(name: str, *, seed: int = 0, test_fraction: float = 0.25
         ) -> DataSet:
    """Return the data set called name, ready to train on.

    A gate ("xor", "and", "or") comes whole, with no test rows. The
    others ("moons", "circles", "spirals" with 200 points drawn with
    seed; "wheat-seeds") are split by `train_test_split` with seed and
    test_fraction; the wheat features, on very different scales, are
    standardized with the training rows' mean and std; the labels become
    `targets` (one 0/1 output for two classes, one-hot for more). The
    recipe says which network learns it. This is what ``python -m
    backprop train NAME`` trains on.

    >>> d = load("wheat-seeds")
    >>> len(d.X), len(d.X_test), d.labels[:3], d.y[0]
    (157, 53, [2, 0, 2], [0.0, 0.0, 1.0])
    >>> [round(m, 4) for m in d.mean[:2]], [round(s, 4) for s in d.std[:2]]
    ([14.8676, 14.5645], [2.908, 1.3107])
    >>> d.recipe.hidden, d.recipe.output, d.recipe.loss
    ((8,), 'softmax', 'categorical_cross_entropy')
    >>> load("xor").X_test, load("xor").labels
    ([], None)

    Raises BackpropError for an unknown name, and what train_test_split
    raises for a bad test_fraction.
    """
    _checks.one_of("load", "name", name, list(RECIPES))
    recipe = RECIPES[name]
    if name in _GATES:
        X, y = _GATES[name]()
        return DataSet(name, X, y, None, [], [], [], None, None, recipe)
    if name in _POINTS:
        X, labels = _POINTS[name](POINTS, seed=seed)
    else:
        X, labels = wheat_seeds()
    X, X_test, labels, labels_test = train_test_split(
        X, labels, test_fraction=test_fraction, seed=seed)
    mean = std = None
    if name == "wheat-seeds":      # features of very different scales
        X, (mean, std) = standardize(X)
        X_test, _ = standardize(X_test, mean=mean, std=std)
    k = max(labels + labels_test) + 1
    return DataSet(name, X, targets(labels, k), labels, X_test,
                   targets(labels_test, k), labels_test, mean, std, recipe)
