"""Loss functions, each with its gradient with respect to the output.

A loss L(a, y) says how far one sample's output a is from its target y;
backprop starts from its gradient dL/da. Each function here takes one
sample's output and target vectors (length n); a batch's loss is the mean
over its samples.

==========================  =========================  ====================
loss                        L(a, y)                    dL/da_i
==========================  =========================  ====================
mse                         (1/n) sum (a_i - y_i)^2    (2/n) (a_i - y_i)
half_sse                    (1/2) sum (a_i - y_i)^2    a_i - y_i
binary_cross_entropy        -(1/n) sum [y_i log a_i    (1/n) (a_i - y_i)
                            + (1-y_i) log(1-a_i)]      / (a_i (1 - a_i))
categorical_cross_entropy   -sum y_i log a_i           -y_i / a_i
==========================  =========================  ====================

Your own loss is a ``Loss(name, f, grad)`` of a function and its
gradient; ``output(j)`` is the "loss" a_j, to differentiate an output.

The factor conventions differ between the seeds, and they matter:

* Seed 002 *reports* ``mse`` but *steps along* ``a - y``, the gradient of
  ``half_sse``: the 1/2 is there to cancel the 2 from the square.
  (For one output the two differ by a factor 2, which is a learning rate.)
* Seed 000 steps along ``a - y`` at the output's z, without sigma'(z):
  that is the gradient of ``binary_cross_entropy`` through a sigmoid,
  since (a - y)/(a(1 - a)) * a(1 - a) = a - y. It reports ``mse``.
* Seed 001 adds ``y - a`` (times sigma'), i.e. subtracts the ``half_sse``
  gradient, and sums rather than averages over the batch.

Every function raises ShapeError when a and y differ in length, and
BackpropError when they are empty.

>>> mse([0.8], [1.0]), half_sse([0.8], [1.0])
(0.03999999999999998, 0.01999999999999999)
>>> mse_grad([0.8], [1.0]), half_sse_grad([0.8], [1.0])
([-0.3999999999999999], [-0.19999999999999996])
"""

from __future__ import annotations

from collections import namedtuple
from operator import sub  # d * d, not d ** 2: ** raises OverflowError

from . import _checks
from .elementary import log
from .errors import ShapeError
from .matrix import total

__all__ = [
    "mse", "mse_grad", "half_sse", "half_sse_grad", "binary_cross_entropy",
    "binary_cross_entropy_grad", "categorical_cross_entropy",
    "categorical_cross_entropy_grad", "Loss", "output", "get_loss", "LOSSES",
    "EPS",
]

EPS = 1e-12
"""Outputs are clipped to [EPS, 1 - EPS] before a log, so log(0) never
happens."""


def mse(a: list[float], y: list[float]) -> float:
    """Return the mean squared error (1/n) sum_i (a_i - y_i)^2.

    >>> mse([0.5, 0.5], [0.0, 1.0])
    0.25
    """
    _checks.pair("mse", a, y)
    return total(d * d for d in map(sub, a, y)) / len(a)


def mse_grad(a: list[float], y: list[float]) -> list[float]:
    """Return dL/da_i = (2/n) (a_i - y_i) for the mean squared error.

    >>> mse_grad([0.5, 0.5], [0.0, 1.0])
    [0.5, -0.5]
    """
    _checks.pair("mse_grad", a, y)
    c = 2.0 / len(a)
    return [c * (ai - yi) for ai, yi in zip(a, y)]


def half_sse(a: list[float], y: list[float]) -> float:
    """Return half the sum of squared errors (1/2) sum_i (a_i - y_i)^2.

    >>> half_sse([0.5, 0.5], [0.0, 1.0])
    0.25
    """
    _checks.pair("half_sse", a, y)
    return 0.5 * total(d * d for d in map(sub, a, y))


def half_sse_grad(a: list[float], y: list[float]) -> list[float]:
    """Return dL/da_i = a_i - y_i: the 1/2 cancels the square's 2.

    >>> half_sse_grad([0.5, 0.5], [0.0, 1.0])
    [0.5, -0.5]
    """
    _checks.pair("half_sse_grad", a, y)
    return [ai - yi for ai, yi in zip(a, y)]


def _clip(p: float) -> float:
    return EPS if p < EPS else (1.0 - EPS if p > 1.0 - EPS else p)


def binary_cross_entropy(a: list[float], y: list[float]) -> float:
    """Return -(1/n) sum_i [y_i log a_i + (1 - y_i) log(1 - a_i)].

    Each a_i is clipped to [EPS, 1 - EPS] first, so the loss is finite
    even for a saturated output.

    >>> round(binary_cross_entropy([0.9], [1.0]), 6)   # -log 0.9
    0.105361
    >>> round(binary_cross_entropy([0.0], [1.0]), 4)   # -log 1e-12
    27.631
    """
    _checks.pair("binary_cross_entropy", a, y)
    return -total(yi * log(p) + (1.0 - yi) * log(1.0 - p)
                  for p, yi in zip(map(_clip, a), y)) / len(a)


def binary_cross_entropy_grad(a: list[float], y: list[float]) -> list[float]:
    """Return dL/da_i = (1/n) (a_i - y_i) / (a_i (1 - a_i)), a_i clipped.

    Through a sigmoid output the denominator cancels sigma'(z) = a(1 - a),
    leaving delta = (a - y)/n: seed 000's ``dz2 = output - y``.

    >>> [round(g, 6) for g in binary_cross_entropy_grad([0.8], [1.0])]
    [-1.25]
    """
    _checks.pair("binary_cross_entropy_grad", a, y)
    n = len(a)
    grads = []
    for ai, yi in zip(a, y):
        p = _clip(ai)
        grads.append((p - yi) / (p * (1.0 - p) * n))
    return grads


def categorical_cross_entropy(a: list[float], y: list[float]) -> float:
    """Return -sum_i y_i log a_i for a one-hot (or probability) target y.

    >>> round(categorical_cross_entropy([0.7, 0.2, 0.1], [1, 0, 0]), 6)
    0.356675
    """
    _checks.pair("categorical_cross_entropy", a, y)
    return -total(yi * log(_clip(ai)) for ai, yi in zip(a, y) if yi)


def categorical_cross_entropy_grad(a: list[float],
                                   y: list[float]) -> list[float]:
    """Return dL/da_i = -y_i / a_i (a_i clipped).

    Through a softmax output this becomes delta_i = a_i - y_i.

    >>> [round(g, 6) for g in categorical_cross_entropy_grad([0.5, 0.5],
    ...                                                       [1, 0])]
    [-2.0, 0.0]
    """
    _checks.pair("categorical_cross_entropy_grad", a, y)
    return [-yi / _clip(ai) for ai, yi in zip(a, y)]


class Loss(namedtuple("Loss", "name f grad")):
    """A loss: its ``name``, ``f(a, y) -> float`` and its gradient
    ``grad(a, y)``, the list of dL/da_i for every output i.

    Your own loss is a Loss of your two functions, and everything that
    takes a loss name takes it too (``train``, ``Network.backward``,
    ``deltas``, ``input_gradient``, ``gradcheck``, ``explain``). The
    quartic loss L = sum_i (a_i - y_i)^4 has dL/da_i = 4 (a_i - y_i)^3:

    >>> from backprop.matrix import total
    >>> quartic = Loss(
    ...     "quartic",
    ...     lambda a, y: total((ai - yi) ** 4 for ai, yi in zip(a, y)),
    ...     lambda a, y: [4 * (ai - yi) ** 3 for ai, yi in zip(a, y)])
    >>> quartic.f([1.5, 0.0], [1.0, 1.0]), quartic.grad([1.5], [1.0])
    (1.0625, [0.5])

    ``grad`` must be the gradient of ``f``: backprop uses only ``grad``,
    ``gradcheck`` compares it with central differences of ``f``.
    """

    __slots__ = ()


def output(j: int = 0) -> Loss:
    """Return the "loss" L(a, y) = a_j, the output a_j itself, so that
    backprop differentiates the network's output j.

    Its gradient is dL/da = e_j (1 at j, 0 elsewhere) and y is not
    used (give any y of the right length): ``backward`` then gives
    da_j/dW and da_j/db, and ``input_gradient`` da_j/dx.

    >>> out = output(1)
    >>> out.name, out.f([0.25, 0.75], [0, 0]), out.grad([0.25, 0.75], [0, 0])
    ('output[1]', 0.75, [0.0, 1.0])

    A j that is not an int >= 0 raises TypeError or BackpropError; an
    output with no entry j, ShapeError.
    """
    j = _checks.count("output", "j", j, least=0)
    name = f"output[{j}]"

    def check(a: list[float], y: list[float]) -> None:
        _checks.pair(name, a, y)
        if j >= len(a):
            raise ShapeError(f"{name} requires at least {j + 1} outputs, "
                             f"got ({len(a)},)")

    def f(a: list[float], y: list[float]) -> float:
        check(a, y)
        return a[j]                                     # L = a_j

    def grad(a: list[float], y: list[float]) -> list[float]:
        check(a, y)
        return [1.0 if i == j else 0.0 for i in range(len(a))]   # e_j

    return Loss(name, f, grad)


LOSSES = {
    "mse": Loss("mse", mse, mse_grad),
    "half_sse": Loss("half_sse", half_sse, half_sse_grad),
    "binary_cross_entropy": Loss(
        "binary_cross_entropy", binary_cross_entropy,
        binary_cross_entropy_grad),
    "categorical_cross_entropy": Loss(
        "categorical_cross_entropy", categorical_cross_entropy,
        categorical_cross_entropy_grad),
}


def get_loss(name: str | Loss) -> Loss:
    """Return the :class:`Loss` called ``name``.

    >>> get_loss("half_sse").grad([0.8], [1.0])
    [-0.19999999999999996]

    An unknown name raises BackpropError listing the known ones.
    """
    if isinstance(name, Loss):
        return name
    return _checks.lookup("loss", name, LOSSES)
