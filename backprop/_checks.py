"""Input checks, in one place, run once at the edge.

Every public function that takes data from a user checks it here, once,
and passes clean Python floats and lists on; the loops inside (``train``'s
epochs, ``Network``'s unchecked core) trust what the edge accepted.

Each check names the function that refused the input (``func``), the
argument (``name``), what was expected and what was given, and raises
``TypeError`` for a wrong kind of value, :class:`ShapeError` for a wrong
length, and :class:`BackpropError` for a value out of range::

    train: X[1] must be a list of 2 numbers (the network has 2 inputs), ...
    train: eta must be a positive finite number, got 0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import chain
from numbers import Integral, Real

from .errors import BackpropError, ShapeError

TYPE_CHECKING = False        # typing costs milliseconds to import
if TYPE_CHECKING:
    from typing import Any

# === Single values ==========================================================


def number(where: str, v: Any) -> float:
    """Return v as a finite float, or raise naming ``where`` (e.g.
    ``"train: X[0][1]"``)."""
    if type(v) is not float:                  # floats skip the slow checks
        if isinstance(v, bool) or not isinstance(v, Real):
            raise TypeError(f"{where} must be a number, got {v!r:.60}")
        try:
            v = float(v)
        except OverflowError:
            raise BackpropError(
                f"{where} must be finite, got an integer too large for a "
                "float") from None
    if not math.isfinite(v):
        raise BackpropError(f"{where} must be finite, got {v!r}")
    return v


def finite(where: str, values: Any) -> list[float]:
    """Return a list of numbers as finite floats, naming ``where[k]`` if
    one is not."""
    if _all_finite_floats(values):            # good data: one cheap pass
        return list(values)
    return [number(f"{where}[{k}]", v) for k, v in enumerate(values)]


def _all_finite_floats(values: Any) -> bool:
    """True if values is a list or tuple of finite floats only: the
    common case, told in C-level passes, without a message per number."""
    return (type(values) in (list, tuple)
            and set(map(type, values)) <= {float}
            and all(map(math.isfinite, values)))


def count(func: str, name: str, n: Any, least: int = 1) -> int:
    """Return n if it is an int >= ``least``."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{func}: {name} must be an int, got {n!r:.60}")
    if n < least:
        raise BackpropError(
            f"{func}: {name} must be at least {least}, got {n}")
    return n


def _float(func: str, name: str, x: Any) -> float:
    """Return the real number x as a float; an integer too large for a
    float (10**400) is refused in words rather than an OverflowError."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{func}: {name} must be a real number, got "
                        f"{x!r:.60}")
    try:
        return float(x)
    except OverflowError:
        raise BackpropError(
            f"{func}: {name} must be a finite number, got an integer too "
            "large for a float") from None


def real(func: str, name: str, x: Any, low: float | None = None) -> float:
    """Return x as a float if it is a finite real number (>= ``low``)."""
    v = _float(func, name, x)
    if not math.isfinite(v) or (low is not None and v < low):
        need = "" if low is None else f" >= {low}"
        raise BackpropError(f"{func}: {name} must be a finite number"
                            f"{need}, got {x!r}")
    return v


def positive(func: str, name: str, v: Any) -> float:
    """Return v as a float if it is a positive finite number (a learning
    rate, a step h, a tolerance)."""
    if isinstance(v, bool) or not isinstance(v, Real):
        raise TypeError(f"{func}: {name} must be a number, got {v!r:.60}")
    x = _float(func, name, v)
    if not (x > 0 and math.isfinite(x)):
        raise BackpropError(f"{func}: {name} must be a positive finite "
                            f"number, got {v!r}")
    return x


def fraction(func: str, name: str, x: Any) -> float:
    """Return x as a float if 0 < x < 1."""
    x = real(func, name, x)
    if not 0 < x < 1:
        raise BackpropError(f"{func}: {name} must be between 0 and 1 "
                            f"(0 < {name} < 1), got {x!r}")
    return x


def between(func: str, name: str, value: Any, low: float,
            high: float = math.inf, *, open_low: bool = False) -> float:
    """Return value as a float in [low, high) (in (low, high) when
    ``open_low``): an optimizer's hyperparameter. Any real number is
    taken (a NumPy float32 too), as its float."""
    try:
        ok = isinstance(value, Real) and not isinstance(value, bool)
        v = float(value) if ok else math.nan
    except OverflowError:                 # an int such as 10**400
        v = math.nan
    if not (low <= v < high) or (open_low and v == low):
        bounds = (f"in [{low}, {high})" if high != math.inf
                  else f"> {low}" if open_low else f">= {low}")
        raise BackpropError(
            f"{func}: {name} must be a number {bounds}, got {value!r:.60}")
    return v


def flag(func: str, name: str, v: Any) -> bool:
    """Return v if it is True or False (``shuffle='no'`` is not)."""
    if not isinstance(v, bool):
        raise TypeError(f"{func}: {name} must be True or False, got "
                        f"{v!r:.60}")
    return v


def every(func: str, name: str, n: Any) -> int | None:
    """Return n if it is None or an int >= 1 (``print_every``)."""
    if n is None:
        return None
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{func}: {name} must be an int >= 1 or None, got "
                        f"{n!r:.60}")
    return count(func, name, n)


def seed(func: str, s: Any) -> int | float | None:
    """Return the seed s for ``random.Random``: None, an int (a NumPy
    integer too, as an int) or, as random itself allows, a float."""
    if s is None or type(s) in (int, float):
        return s
    if isinstance(s, Integral) and not isinstance(s, bool):
        return int(s)
    if isinstance(s, float):
        return float(s)
    raise TypeError(f"{func}: seed must be an int or None, got {s!r:.60}")


# === Vectors and batches ====================================================


def vector(func: str, name: str, v: Any, n: int, what: str) -> list[float]:
    """Return one sample v as a list of n floats; ``what`` says what n
    counts (``"inputs"``, ``"outputs"``)."""
    if not isinstance(v, (list, tuple)) or len(v) != n:
        error = ShapeError if isinstance(v, (list, tuple)) else TypeError
        raise error(
            f"{func}: {name} must be a list of {n} numbers (the network "
            f"has {n} {what}), got {v!r:.60}")
    return finite(f"{func}: {name}", v)


def rows(func: str, name: str, X: Any, n: int, what: str
         ) -> list[list[float]]:
    """Return the batch X as lists of n floats each, or raise naming the
    culprit (``train: X[3][1] must be a number ...``). A bare number
    stands for a 1-vector when n == 1."""
    if not isinstance(X, (list, tuple)) or not X:
        raise BackpropError(
            f"{func}: {name} must be a non-empty list of samples, got "
            f"{X!r:.60}")
    if set(map(type, X)) <= {list, tuple} and set(map(len, X)) == {n} \
            and _all_finite_floats(list(chain.from_iterable(X))):
        return [list(row) for row in X]       # good data: no message made
    out = []
    for i, row in enumerate(X):
        if isinstance(row, Real) and not isinstance(row, bool) and n == 1:
            row = [row]
        if not isinstance(row, (list, tuple)) or len(row) != n:
            raise ShapeError(
                f"{func}: {name}[{i}] must be a list of {n} numbers (the "
                f"network has {n} {what}), got {row!r:.60}")
        out.append(finite(f"{func}: {name}[{i}]", row))
    return out


def pair(func: str, a: Any, y: Any) -> None:
    """Check one sample's output a and target y: two lists of numbers of
    the same length, not empty (what every loss takes)."""
    if not isinstance(a, (list, tuple)) or not isinstance(y, (list, tuple)):
        raise TypeError(
            f"{func} expects a and y as lists of numbers (one sample's "
            f"output and target), got {type(a).__name__} and "
            f"{type(y).__name__}")
    if len(a) != len(y):
        raise ShapeError(
            f"{func} requires a and y of equal length, got ({len(a)},) and "
            f"({len(y)},)")
    if not a:
        raise BackpropError(f"{func} requires at least one output, got []")


def network(func: str, net: Any) -> None:
    """Check that net is a backprop Network."""
    from .network import Network              # network imports this module
    if not isinstance(net, Network):
        raise TypeError(f"{func}: net must be a backprop Network, got "
                        f"{type(net).__name__}")


def samples(func: str, net: Any, X: Any, y: Any, names: str = "X y"
            ) -> tuple[list[list[float]], list[list[float]]]:
    """Return X and y checked against ``net``'s input and output sizes,
    one target per sample (``names`` gives their names in messages, e.g.
    ``"X_val y_val"``)."""
    network(func, net)
    xname, yname = names.split()
    sizes = net.sizes
    X = rows(func, xname, X, sizes[0], "inputs")
    y = rows(func, yname, y, sizes[-1], "outputs")
    if len(X) != len(y):
        raise ShapeError(
            f"{func}: {xname} and {yname} must have one row per sample, got "
            f"{len(X)} samples in {xname} and {len(y)} targets in {yname}")
    return X, y


def targets(func: str, name: str, y: list[list[float]], loss: Any) -> None:
    """Check that the targets y mean something to ``loss``: in [0, 1] for
    binary cross-entropy (else its loss goes negative); for categorical
    cross-entropy non-negative and not all zero in any row (a zero row
    has loss 0 whatever the network outputs)."""
    from .losses import binary_cross_entropy, categorical_cross_entropy
    if loss.f is binary_cross_entropy:
        flat = list(chain.from_iterable(y))
        if 0.0 <= min(flat) and max(flat) <= 1.0:     # all in [0, 1]
            return
        for i, t in enumerate(y):
            for k, v in enumerate(t):
                if not 0.0 <= v <= 1.0:
                    raise BackpropError(
                        f"{func}: {name}[{i}][{k}] must be between 0 and 1 "
                        f"for binary_cross_entropy (a probability), got {v}")
    elif loss.f is categorical_cross_entropy:
        for i, t in enumerate(y):
            if min(t) < 0.0 or not any(t):
                raise BackpropError(
                    f"{func}: {name}[{i}] must be a one-hot or probability "
                    f"vector for categorical_cross_entropy (no negative "
                    f"entry, not all zero), got {t!r:.60}")


def sample(func: str, net: Any, x: Any, y: Any
           ) -> tuple[list[float], list[float]]:
    """Return one sample x and its target y checked against ``net``."""
    network(func, net)
    return (vector(func, "x", x, net.sizes[0], "inputs"),
            vector(func, "y", y, net.sizes[-1], "outputs"))


def matrix(func: str, name: str, X: Any) -> int:
    """Check X is a non-empty list of equal-length rows of finite reals;
    return the row length."""
    if not isinstance(X, Sequence) or isinstance(X, str) or not X:
        raise BackpropError(f"{func}: {name} must be a non-empty list "
                            f"of rows, got {X!r:.60}")
    for i, row in enumerate(X):
        # the isinstance test runs first, so len(X[0]) is safe after it
        if not isinstance(row, Sequence) or not row or len(row) != len(X[0]):
            raise ShapeError(f"{func}: the rows of {name} must be "
                             f"non-empty lists of equal length, got "
                             f"{name}[0] = {X[0]!r:.40} and "
                             f"{name}[{i}] = {row!r:.40}")
        for k, v in enumerate(row):
            real(func, f"{name}[{i}][{k}]", v)
    return len(X[0])


def labels(func: str, ys: Any, n: int | None = None) -> None:
    """Check ys is a list of class numbers 0, 1, ... (one per row of X
    when n is given)."""
    if not isinstance(ys, Sequence) or n not in (None, len(ys)):
        raise ShapeError(f"{func}: labels must be a list of class numbers "
                         f"(one per row of X), got {ys!r:.60}")
    for i, k in enumerate(ys):
        count(func, f"labels[{i}]", k, least=0)


# === Networks ===============================================================


def sizes(ns: Any, limit: int) -> list[int]:
    """Return the layer sizes of a new Network, e.g. [2, 4, 1], if its
    weights and biases number at most ``limit``."""
    if not isinstance(ns, (list, tuple)) or len(ns) < 2:
        raise BackpropError(
            "Network requires sizes as a list of at least two layer sizes "
            f"(inputs and outputs), e.g. [2, 4, 1], got {ns!r:.60}")
    for i, n in enumerate(ns):
        count("Network", f"sizes[{i}]", n)
    n = 0                                   # weights and biases
    for n_in, n_out in zip(ns, ns[1:]):
        n += n_in * n_out + n_out
    if n > limit:       # ~32 bytes a float: 24 for the object, 8 in a list
        cost = (f"{n * 32 / 1e9:,.1f} GB" if n * 32 >= 1e9
                else f"{n * 32 / 1e6:,.0f} MB")
        raise BackpropError(
            f"Network: sizes {list(ns)!r:.60} would have {n:,} weights and "
            f"biases, more than the limit of {limit:,}; as Python floats "
            f"they would take about {cost} of memory")
    return list(ns)


def softmax_layers(sizes: list[int], names: list[str]) -> None:
    """Refuse a softmax layer of one neuron: its one output is always
    e^z / e^z = 1.0, whatever the input."""
    for l, (n, name) in enumerate(zip(sizes[1:], names)):
        if name == "softmax" and n == 1:
            raise BackpropError(
                f"Network: softmax on layer {l + 1}, which has 1 neuron, "
                "always outputs 1.0 (its outputs sum to 1); use sigmoid "
                "for a single output, or give the layer 2 or more neurons")


def weights(W: Any) -> list[list[list[float]]]:
    """Return the weight matrices of ``Network.from_weights``, copied as
    floats, after checking that each is rectangular and that the layers
    chain (layer l takes layer l-1's outputs)."""
    func = "Network.from_weights"
    if not isinstance(W, (list, tuple)) or not W:
        raise ShapeError(f"{func} requires W as a non-empty list of "
                         f"matrices, got {W!r:.60}")
    out = []
    for l, M in enumerate(W):
        if (not isinstance(M, (list, tuple)) or not M
                or not isinstance(M[0], (list, tuple)) or not M[0]):
            raise ShapeError(f"{func}: W[{l}] must be a non-empty matrix "
                             f"(a list of rows), got {M!r:.60}")
        for j, row in enumerate(M):
            if not isinstance(row, (list, tuple)) or len(row) != len(M[0]):
                raise ShapeError(
                    f"{func}: W[{l}] is ragged: row 0 has {len(M[0])} "
                    f"entries, row {j} is {row!r:.60}")
        out.append([finite(f"{func}: W[{l}][{j}]", row)
                    for j, row in enumerate(M)])
        if l and len(out[l][0]) != len(out[l - 1]):
            raise ShapeError(
                f"{func}: W[{l}] has {len(out[l][0])} columns but "
                f"W[{l - 1}] has {len(out[l - 1])} rows; each layer takes "
                "the previous layer's outputs")
    return out


def biases(b: Any, W: list[list[list[float]]]) -> list[list[float]]:
    """Return the bias vectors of ``Network.from_weights``: one per layer,
    one value per row of that layer's W."""
    func = "Network.from_weights"
    if not isinstance(b, (list, tuple)) or len(b) != len(W):
        raise ShapeError(f"{func}: b needs one vector per layer "
                         f"({len(W)}), got {b!r:.60}")
    out = []
    for l, (b_l, W_l) in enumerate(zip(b, W)):
        if not isinstance(b_l, (list, tuple)) or len(b_l) != len(W_l):
            raise ShapeError(
                f"{func}: b[{l}] needs {len(W_l)} values (one per row of "
                f"W[{l}]), got {b_l!r:.60}")
        out.append(finite(f"{func}: b[{l}]", b_l))
    return out


# === Data sets, charts and files ============================================


def one_of(func: str, name: str, value: Any, choices: Sequence[str]) -> str:
    """Return value if it is one of the names in ``choices``."""
    if not isinstance(value, str) or value not in choices:
        error = TypeError if not isinstance(value, str) else BackpropError
        raise error(f"{func}: {name} must be one of {', '.join(choices)}, "
                    f"got {value!r:.60}")
    return value


def paired(func: str, X: Any, y: Any, names: str = "X y") -> int:
    """Check X and y are lists with one entry per sample (``names`` gives
    their names in messages); return that length."""
    xname, yname = names.split()
    if not (isinstance(X, Sequence) and isinstance(y, Sequence)) \
            or isinstance(X, str) or isinstance(y, str):
        raise TypeError(f"{func}: {xname} and {yname} must be lists, got "
                        f"{type(X).__name__} and {type(y).__name__}")
    if len(X) != len(y):
        raise ShapeError(
            f"{func}: {xname} and {yname} must have one entry per sample "
            f"(len({xname}) == len({yname})), got {len(X)} and {len(y)}")
    return len(X)


def numbers(func: str, name: str, v: Any) -> list[float]:
    """Return v as a list of floats if it is a non-empty list of finite
    real numbers (a loss curve, a mean or std vector)."""
    if not isinstance(v, Sequence) or isinstance(v, str) or not v:
        raise BackpropError(f"{func}: {name} must be a non-empty list of "
                            f"numbers, got {v!r:.60}")
    return [real(func, f"{name}[{k}]", x) for k, x in enumerate(v)]


def lookup(kind: str, name: Any, table: dict) -> Any:
    """Return ``table[name]``, or raise naming the ``kind`` of thing and
    the names it knows (``unknown loss 'x'; expected one of ...``)."""
    try:
        return table[name]
    except (KeyError, TypeError):
        raise BackpropError(
            f"unknown {kind} {name!r}; expected one of "
            f"{', '.join(sorted(table))}") from None


def known(kind: str, name: Any, choices: Sequence[str]) -> str:
    """Return name if it is one of ``choices``; else raise saying the
    closest valid name (``unknown loss 'l2'; did you mean ...``)."""
    if isinstance(name, str) and name in choices:
        return name
    import difflib                     # only on the way to an error
    close = difflib.get_close_matches(str(name), list(choices), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise BackpropError(f"unknown {kind} {name!r:.60}{hint}; expected "
                        f"one of {', '.join(choices)}")

