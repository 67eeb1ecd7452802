"""Helpers for the benchmark runner: statistics, data, weights and tables.

Standard library only, so that ``tests/test_benchmark_harness.py`` can
check them cheaply in the default test run and every contender process
can build the same inputs.

=====================  ================================================
function               description
=====================  ================================================
median                 the middle of a list of timings
pair_ratios            ratio of each contender run to its package run
loglog_slope           least-squares slope of log(t) against log(n)
parse_importtime       cumulative ms of one module from ``-X importtime``
importtime_rows        every module's self and cumulative ms, by self
gauss_weights          N(0, s) weights, zero biases, package layout
uniform_weights        [0, 1) weights and biases, package layout
xor_data               the four XOR samples
synthetic_digits       deterministic 64-feature, 10-class samples
losses_agree           whether final losses match to a tolerance
target_met             whether a ratio reaches its target
markdown_table         a Markdown table from rows of cells
profile_summary        the top functions of a cProfile run, by tottime
profile_share          percent of profiled time inside named functions

>>> median([3.0, 1.0, 2.0])
2.0
>>> pair_ratios([1.0, 2.0], [3.0, 5.0])
[3.0, 2.5]
>>> round(loglog_slope([1, 2, 4], [3.0, 6.0, 12.0]), 12)
1.0
"""

from __future__ import annotations

import math
import random
import statistics
from typing import List, Sequence

__all__ = [
    "median", "pair_ratios", "loglog_slope", "parse_importtime",
    "importtime_rows",
    "gauss_weights", "uniform_weights", "xor_data", "synthetic_digits",
    "losses_agree", "target_met", "markdown_table", "profile_summary",
    "profile_share",
]

Matrix = List[List[float]]


# === Statistics ===

def median(values: Sequence[float]) -> float:
    """Return the median of *values* (the mean of the two middle values
    when their count is even).

    >>> median([4.0, 1.0, 3.0, 2.0])
    2.5

    Raises ValueError when *values* is empty.
    """
    if not values:
        raise ValueError("median requires at least one value, got none")
    return float(statistics.median(values))


def pair_ratios(package: Sequence[float],
                other: Sequence[float]) -> list[float]:
    """Return other[i] / package[i] for each alternated pair of runs.

    A ratio above 1 means the package was faster in that pair.

    >>> pair_ratios([2.0, 4.0], [3.0, 2.0])
    [1.5, 0.5]

    Raises ValueError when the two lists differ in length.
    """
    if len(package) != len(other):
        raise ValueError(
            "pair_ratios requires runs of equal count, got "
            f"{len(package)} and {len(other)}")
    return [o / p for p, o in zip(package, other)]


def loglog_slope(n: Sequence[float], t: Sequence[float]) -> float:
    """Return the least-squares slope of log(t) against log(n).

    A slope of 1 means t grows linearly in n, 2 quadratically.

    >>> round(loglog_slope([1, 10, 100], [5.0, 500.0, 50000.0]), 12)
    2.0

    Raises ValueError with fewer than two distinct points.
    """
    if len(n) != len(t) or len(set(n)) < 2:
        raise ValueError(
            "loglog_slope requires two or more distinct points, got "
            f"{list(n)!r}")
    x = [math.log(v) for v in n]
    y = [math.log(v) for v in t]
    x_bar = sum(x) / len(x)
    y_bar = sum(y) / len(y)
    sxy = sum((xi - x_bar) * (yi - y_bar) for xi, yi in zip(x, y))
    sxx = sum((xi - x_bar) ** 2 for xi in x)
    return sxy / sxx


def parse_importtime(stderr: str, module: str) -> float:
    """Return the cumulative import time of *module* in milliseconds from
    the stderr of ``python -X importtime``.

    >>> text = ("import time: self [us] | cumulative | imported package\\n"
    ...         "import time:       120 |        120 |   backprop.errors\\n"
    ...         "import time:       300 |       1420 | backprop\\n")
    >>> parse_importtime(text, "backprop")
    1.42

    Raises ValueError when *module* does not appear.
    """
    for line in stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == module:
            return int(parts[1]) / 1000.0
    raise ValueError(
        f"parse_importtime found no line for module {module!r}")


def importtime_rows(stderr: str,
                    module: str) -> list[tuple[str, float, float]]:
    """Return (name, self ms, cumulative ms) for *module* and every
    module it imported, from the stderr of ``python -X importtime``, the
    largest self time first.

    >>> text = ("import time: self [us] | cumulative | imported package\\n"
    ...         "import time:       900 |        900 | site\\n"
    ...         "import time:       120 |        120 |   backprop.errors\\n"
    ...         "import time:       300 |       1420 | backprop\\n")
    >>> importtime_rows(text, "backprop")
    [('backprop', 0.3, 1.42), ('backprop.errors', 0.12, 0.12)]

    Raises ValueError when *module* was not imported at the top level.
    """
    group = []
    for line in stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].strip()
        group.append((name, int(parts[0].split(":")[-1]) / 1000.0,
                      int(parts[1]) / 1000.0))
        if not parts[2].startswith("  "):        # a top-level import
            if name == module:
                return sorted(group, key=lambda r: r[1], reverse=True)
            group = []
    raise ValueError(
        f"importtime_rows found no top-level line for module {module!r}")


# === Inputs ===

def gauss_weights(sizes: Sequence[int], seed: int, *,
                  scaled: bool = False) -> tuple[list[Matrix], Matrix]:
    """Return (W, b) with W[l][j][k] ~ N(0, s) and zero biases.

    s is 1, or 1/sqrt(sizes[l]) when *scaled* (so that a 64-input sigmoid
    layer does not start saturated). W[l][j][k] is the weight from neuron
    k of layer l to neuron j of layer l + 1, the package's layout.

    >>> W, b = gauss_weights([2, 3, 1], seed=0)
    >>> [len(W[0]), len(W[0][0]), len(W[1]), len(W[1][0])], b
    ([3, 2, 1, 3], [[0.0, 0.0, 0.0], [0.0]])
    """
    rng = random.Random(seed)
    W, b = [], []
    for n_in, n_out in zip(sizes, sizes[1:]):
        s = 1.0 / math.sqrt(n_in) if scaled else 1.0
        W.append([[rng.gauss(0.0, s) for _ in range(n_in)]
                  for _ in range(n_out)])
        b.append([0.0] * n_out)
    return W, b


def uniform_weights(sizes: Sequence[int],
                    seed: int) -> tuple[list[Matrix], Matrix]:
    """Return (W, b) with every weight and bias drawn from [0, 1), as
    seed 002's ``np.random.rand`` does, in the package's layout.

    >>> W, b = uniform_weights([2, 2, 1], seed=0)
    >>> all(0.0 <= w < 1.0 for Wl in W for row in Wl for w in row)
    True
    """
    rng = random.Random(seed)
    W, b = [], []
    for n_in, n_out in zip(sizes, sizes[1:]):
        W.append([[rng.random() for _ in range(n_in)]
                  for _ in range(n_out)])
        b.append([rng.random() for _ in range(n_out)])
    return W, b


def xor_data() -> tuple[Matrix, Matrix]:
    """Return (X, Y) for XOR, as floats.

    >>> xor_data()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [[0.0], [1.0], \
[1.0], [0.0]])
    """
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    Y = [[0.0], [1.0], [1.0], [0.0]]
    return X, Y


def synthetic_digits(n: int = 1797, *, n_features: int = 64,
                     n_classes: int = 10,
                     seed: int = 0) -> tuple[Matrix, Matrix]:
    """Return (X, Y): *n* noisy copies of *n_classes* random prototypes.

    Sample i belongs to class i % n_classes; its features are the class
    prototype (uniform in [0, 1)) plus N(0, 0.2) noise, clipped to [0, 1];
    Y holds one-hot targets. The default shape is that of the 8x8 digits
    data set (1,797 samples, 64 features), with no download.

    >>> X, Y = synthetic_digits(12)
    >>> len(X), len(X[0]), Y[11]
    (12, 64, [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    """
    rng = random.Random(seed)
    prototypes = [[rng.random() for _ in range(n_features)]
                  for _ in range(n_classes)]
    X, Y = [], []
    for i in range(n):
        c = i % n_classes
        X.append([min(1.0, max(0.0, p + rng.gauss(0.0, 0.2)))
                  for p in prototypes[c]])
        Y.append([1.0 if j == c else 0.0 for j in range(n_classes)])
    return X, Y


# === Checks and output ===

def losses_agree(reference: float, losses: Sequence[float],
                 tol: float = 1e-9) -> bool:
    """Return True when every loss is within *tol* of *reference*.

    >>> losses_agree(0.25, [0.25, 0.25 + 1e-12])
    True
    >>> losses_agree(0.25, [0.2501])
    False
    """
    return all(abs(v - reference) <= tol for v in losses)


def target_met(ratio: float, at_least: float | None,
               at_most: float | None = None) -> bool:
    """Return True when *ratio* (other time / package time) reaches
    *at_least* and stays at most *at_most* (either may be None); "within
    3x of NumPy" is ``at_least=1/3``, "Adam at most twice plain gradient
    descent's time" ``at_most=2``.

    >>> target_met(1.25, 1.2), target_met(0.3, 1 / 3)
    (True, False)
    >>> target_met(1.9, None, 2.0), target_met(2.1, None, 2.0)
    (True, False)
    """
    return ((at_least is None or ratio >= at_least)
            and (at_most is None or ratio <= at_most))


def markdown_table(header: Sequence[str],
                   rows: Sequence[Sequence[str]]) -> str:
    """Return a Markdown table with one line per row.

    >>> print(markdown_table(["a", "b"], [["1", "2"]]))
    | a | b |
    | --- | --- |
    | 1 | 2 |
    """
    lines = ["| " + " | ".join(header) + " |",
             "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# === Profiles ===

def _function_label(key: tuple[str, int, str]) -> str:
    """Return a short name for a pstats key (filename, line, function):
    ``backprop/network.py:205 forward``, or ``builtins.sum`` for a
    built-in."""
    filename, line, name = key
    if filename == "~":                       # a built-in function
        return (name.strip("<>{}").replace("built-in method ", "")
                .replace("method ", ""))
    path = filename.replace("\\", "/")
    where = path.rfind("backprop/")
    path = path[where:] if where >= 0 else path.rsplit("/", 1)[-1]
    return f"{path}:{line:d} {name}"


def profile_summary(stats: dict, top: int = 10) -> dict:
    """Return the *top* functions of a cProfile run by tottime.

    *stats* is the ``stats`` mapping of a ``pstats.Stats``: (filename,
    line, function) -> (primitive calls, calls, tottime, cumtime,
    callers). The result is plain data that JSON can carry: "total" (the
    profiled seconds, the sum of every tottime), "calls" (all function
    calls), "builtin" (seconds inside built-in functions, written in C)
    and "rows", each [label, calls, tottime, percent of total, cumtime].

    >>> stats = {("~", 0, "<built-in method builtins.sum>"):
    ...              (30, 30, 1.0, 1.0, {}),
    ...          ("/x/backprop/network.py", 205, "forward"):
    ...              (10, 10, 3.0, 4.0, {})}
    >>> s = profile_summary(stats, top=1)
    >>> s["total"], s["calls"], s["builtin"], s["rows"]
    (4.0, 40, 1.0, [['backprop/network.py:205 forward', 10, 3.0, 75.0, \
4.0]])
    """
    total = sum(v[2] for v in stats.values())
    ranked = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)
    rows = [[_function_label(key), nc, tt,
             100.0 * tt / total if total else 0.0, ct]
            for key, (_, nc, tt, ct, _) in ranked[:top]]
    return {"total": total, "calls": sum(v[1] for v in stats.values()),
            "builtin": sum(v[2] for k, v in stats.items() if k[0] == "~"),
            "rows": rows}


def profile_share(stats: dict, names: Sequence[str],
                  file_part: str = "backprop") -> float:
    """Return the percent of profiled time spent inside the functions
    called *names* (their cumtime, so with everything they call) whose
    file path contains *file_part*; 0.0 when none ran.

    Time a named function spends in a call from another named function
    is counted once, in its caller (``deltas`` calls ``output_delta``):
    the callers' entries of pstats say how much of its cumtime each
    caller accounts for.

    >>> stats = {("/x/backprop/network.py", 205, "forward"):
    ...              (10, 10, 1.0, 3.0, {}),
    ...          ("/x/backprop/network.py", 229, "deltas"):
    ...              (10, 10, 1.0, 1.5, {}),
    ...          ("/x/backprop/network.py", 285, "output_delta"):
    ...              (10, 10, 0.5, 0.5, {("/x/backprop/network.py", 229,
    ...                                   "deltas"): (10, 10, 0.5, 0.5)}),
    ...          ("~", 0, "<built-in method math.exp>"):
    ...              (10, 10, 1.5, 1.5, {})}
    >>> profile_share(stats, ["forward"]), profile_share(stats, ["step"])
    (75.0, 0.0)
    >>> profile_share(stats, ["deltas", "output_delta"])
    37.5
    """
    total = sum(v[2] for v in stats.values())
    named = {key for key in stats
             if key[2] in names and file_part in key[0]}
    inside = 0.0
    for key in named:
        inside += stats[key][3]
        for caller, calls in stats[key][4].items():
            if caller in named and caller != key:    # counted in caller
                inside -= calls[3] if isinstance(calls, tuple) else 0.0
    return 100.0 * inside / total if total else 0.0
