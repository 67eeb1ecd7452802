"""Check backprop's gradients against numerical ones.

Backprop computes dL/dw for every weight and bias in one backward pass. A
slower, almost assumption-free way to get the same number is to nudge w
by a small h either way and watch the loss: the central difference
(L(w + h) - L(w - h)) / 2h. If the two agree for every parameter, the
backward pass (and every derivative it uses) is right; if one parameter
disagrees, its name says where to look.

One case cannot be checked this way. The cross-entropy losses clip an
output a to [EPS, 1 - EPS] before the log, so where an output is
saturated (a = 1.0 for a sigmoid at z = 40) the loss is flat and its
central difference is 0, while backprop gives the gradient of the
unclipped loss. Parameters that feed such an output are reported as
"not checkable" instead of failing. So are those that move a ReLU's z
across its kink at 0, where the central difference averages two slopes
and backprop takes one.

==========  ==========================================================
name        what it is
==========  ==========================================================
gradcheck   compare backprop's dL/dw with the central difference
GradCheck   the report: one Row per parameter, max_error, ok, verdict
Row         (name, analytic, numeric, rel_error, checkable) for one
            parameter
==========  ==========================================================

>>> from backprop.network import Network
>>> net = Network([2, 3, 1], "tanh", seed=0)
>>> report = gradcheck(net, [0.5, -1.0], [0.25])
>>> report.ok, len(report.rows), report.rows[0].name
(True, 13, 'W[0][0][0]')
>>> report.max_error < 1e-6
True
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Sequence

from . import _checks
from .losses import (
    EPS,
    Loss,
    binary_cross_entropy,
    categorical_cross_entropy,
    get_loss,
)
from .network import Gradients, Network

__all__ = ["gradcheck", "GradCheck", "Row", "TINY"]

SATURATED = f"output saturated, the loss clips it to [{EPS:g}, 1 - {EPS:g}]"
KINK = "a relu z at its kink, z = 0 within w +- h"

TINY = 1e-3
"""Floor of the relative error's denominator, per unit of loss.

Rounding in L(w + h) - L(w - h) leaves the numerical gradient with an
absolute error of about eps |L| / h (1e-10 for a loss near 1 and
h = 1e-6). Dividing that by a gradient near zero would turn noise into a
large "relative error", so the denominator never drops below
TINY * max(1, |L|): for such parameters the test becomes
|a - n| <= tol * TINY * max(1, |L|).
"""


class Row(namedtuple("Row", "name analytic numeric rel_error checkable",
                     defaults=(True,))):
    """One parameter: its name, backprop's gradient, the central
    difference, their relative error, and whether the central difference
    could check it (False when it feeds an output the loss clips).

    >>> r = Row("b[0][0]", 0.5, 0.25, 0.5)
    >>> r.name, r.rel_error, r.checkable
    ('b[0][0]', 0.5, True)
    """

    __slots__ = ()


class GradCheck:
    """The result of :func:`gradcheck`: one :class:`Row` per parameter.

    ``checked`` counts the checkable rows; ``max_error`` is their largest
    relative error (0 if there are none) and ``ok`` says whether it is at
    most ``tol``, i.e. no checked parameter failed. ``str(report)`` is a
    table and a verdict.

    >>> GradCheck([Row("W[0][0][0]", 0.5, 0.25, 0.5)], tol=1e-6)
    GradCheck(params=1, max_error=0.5, ok=False)
    """

    def __init__(self, rows: list[Row], *, tol: float,
                 reasons: Sequence[str] = (SATURATED,)) -> None:
        self.rows = rows
        self.tol = tol
        self.reasons = list(reasons)   # why rows were not checkable
        checked = [r for r in rows if r.checkable]
        self.checked = len(checked)
        self.worst = (max(checked, key=lambda r: r.rel_error) if checked
                      else None)
        self.max_error = 0.0 if self.worst is None else self.worst.rel_error
        self.ok = self.max_error <= tol

    def __repr__(self) -> str:
        skipped = len(self.rows) - self.checked
        return (f"GradCheck(params={len(self.rows)}, "
                f"max_error={self.max_error:.2g}, ok={self.ok}"
                + (f", not_checkable={skipped})" if skipped else ")"))

    def verdict(self) -> str:
        """Return the one-line verdict: PASS or FAIL, naming the worst
        parameter, and how many parameters could not be checked; NOT
        CHECKED when none could.

        >>> GradCheck([Row("b[0][0]", 0.5, 0.25, 0.5)], tol=1e-6).verdict()
        'FAIL: 1 of 1 relative errors > tol = 1e-06; worst b[0][0] (0.5)'
        """
        n, skipped = len(self.rows), len(self.rows) - self.checked
        why = "; ".join(self.reasons)
        if self.worst is None:                  # no row was checkable
            hint = ("outputs are not saturated" if SATURATED in self.reasons
                    else "relu inputs z are not 0")
            return (f"NOT CHECKED: none of the {n} parameters could be "
                    f"checked ({why}); try a sample whose {hint}")
        if self.ok:
            verdict = (f"PASS: all {self.checked} "
                       f"{'checked ' if skipped else ''}relative errors "
                       f"<= tol = {self.tol:g}; largest "
                       f"{self.max_error:.2g} at {self.worst.name}")
        else:
            bad = len([r for r in self.rows
                       if r.checkable and r.rel_error > self.tol])
            verdict = (f"FAIL: {bad} of {self.checked} "
                       f"{'checked ' if skipped else ''}relative errors > "
                       f"tol = {self.tol:g}; worst {self.worst.name} "
                       f"({self.max_error:.2g})")
        if skipped:
            verdict += f"; {skipped} not checkable ({why})"
        return verdict

    def __str__(self) -> str:
        width = max(9, max(len(r.name) for r in self.rows))
        lines = [f"{'parameter':<{width}}  {'analytic':>12}  "
                 f"{'numeric':>12}  rel. error"]
        for r in self.rows:
            flag = ("  not checkable" if not r.checkable else
                    "  FAIL" if r.rel_error > self.tol else "")
            lines.append(f"{r.name:<{width}}  {r.analytic:>12.6g}  "
                         f"{r.numeric:>12.6g}  {r.rel_error:.1e}{flag}")
        lines.append(self.verdict())
        return "\n".join(lines)


def gradcheck(net: Network, x: Sequence[float], y: Sequence[float], *,
              loss: str | Loss = "mse", h: float = 1e-6,
              tol: float = 1e-6) -> GradCheck:
    """Return a :class:`GradCheck` comparing backprop's gradient of the
    loss on one sample (x, y) with the central difference, parameter by
    parameter.

    For each weight or bias w, with every other parameter held fixed:

        numeric   = (L(w + h) - L(w - h)) / (2 h)
        analytic  = dL/dw from net.backward
        rel_error = |analytic - numeric| / max(|analytic|, |numeric|,
                                               TINY * max(1, |L|))

    The check passes when every rel_error is at most ``tol``. Each w is
    put back exactly as it was, so ``net`` is unchanged afterwards. Rows
    are named like the code's indices: ``W[l-1][j][k]`` (the math's
    w^l_jk) and ``b[l-1][j]``, as explain prints them.

    >>> from backprop.network import Network
    >>> net = Network.from_weights([[[0.5, -0.5]]], [[0.0]], "sigmoid")
    >>> report = gradcheck(net, [1.0, 2.0], [1.0], loss="half_sse")
    >>> for r in report.rows:   # z = -0.5, delta = (a - 1) a (1 - a)
    ...     print(r.name, round(r.analytic, 6), round(r.numeric, 6))
    W[0][0][0] -0.14628 -0.14628
    W[0][0][1] -0.292561 -0.292561
    b[0][0] -0.14628 -0.14628
    >>> report.ok
    True

    Not checkable: ``binary_cross_entropy`` and
    ``categorical_cross_entropy`` clip each output a_j to
    [EPS, 1 - EPS] before the log (for the categorical loss only where
    y_j != 0). Where a_j is clipped at w, w + h or w - h, the loss does
    not move with a_j and the central difference misses a_j's share of
    the gradient, which backprop (the gradient of the unclipped loss)
    includes. So every parameter that feeds such an output (its own
    output neuron's weights and bias, the whole output layer of a
    softmax, every earlier layer) gets ``checkable=False``: shown in the
    table, left out of ``max_error`` and ``ok``, and counted in the
    verdict. A sigmoid output at z = 40 is exactly 1.0:

    >>> sat = Network.from_weights([[[40.0]]], [[0.0]], "sigmoid")
    >>> report = gradcheck(sat, [1.0], [0.0], loss="binary_cross_entropy")
    >>> [(r.analytic, r.numeric, r.checkable) for r in report.rows]
    [(1.0, 0.0, False), (1.0, 0.0, False)]
    >>> report.ok, report.checked
    (True, 0)

    Not checkable either: a parameter that moves the z of a ``relu`` or
    ``leaky_relu`` neuron across its kink. relu'(z) jumps from 0 to 1
    at z = 0, where backprop takes relu'(0) = 0; if z lies within about
    h |dz/dw| of 0, the central difference averages the slopes on both
    sides instead (1/2 for a z that sits on 0). So a parameter whose
    nudges w - h, w, w + h give some relu z that changes (it depends on
    w) and is not strictly on one side of 0 (min <= 0 <= max) gets
    ``checkable=False``. With zero biases and the input 0, every z is
    exactly 0 and the biases straddle the kink (the weights multiply an
    input or output of 0, so their z does not move and they are
    checked):

    >>> net = Network.from_weights([[[1.0, 1.0]]], [[0.0]], "relu")
    >>> kink = gradcheck(net, [0.0, 0.0], [1.0])
    >>> [(r.name, r.checkable) for r in kink.rows]
    [('W[0][0][0]', True), ('W[0][0][1]', True), ('b[0][0]', False)]
    >>> kink.verdict()
    'PASS: all 2 checked relative errors <= tol = 1e-06; ...; 1 not \
checkable (a relu z at its kink, z = 0 within w +- h)'

    A sample of the wrong shape, an unknown loss or an h or tol that is
    not a positive number raise BackpropError (ShapeError) or TypeError.
    """
    x, y = _checks.sample("gradcheck", net, x, y)
    h = _checks.positive("gradcheck", "h", h)
    tol = _checks.positive("gradcheck", "tol", tol)
    fit = get_loss(loss)
    fwd = net.forward(x, check=False)       # x was checked just above
    L0 = fit.f(fwd.a[-1], y)
    clipped = _clipped(fit, fwd.a[-1], y)
    grads = net.backward(fwd, y, fit)
    floor = TINY * max(1.0, abs(L0))
    rows, reasons = [], set()
    for name, (l, j), row, k, analytic in _parameters(net, grads):
        w = row[k]
        try:
            row[k] = w + h
            plus = net.forward(x, check=False)
            row[k] = w - h
            minus = net.forward(x, check=False)
        finally:
            row[k] = w                      # exactly the old float
        a_plus, a_minus = plus.a[-1], minus.a[-1]
        numeric = (fit.f(a_plus, y) - fit.f(a_minus, y)) / (2.0 * h)
        rel = abs(analytic - numeric) / max(abs(analytic), abs(numeric),
                                            floor)
        hit = clipped | _clipped(fit, a_plus, y) | _clipped(fit, a_minus, y)
        feeds = l < len(net.W) - 1 or net.activations[-1] == "softmax" \
            or j in hit
        kink = _at_kink(net, fwd.z, plus.z, minus.z)
        if hit and feeds:
            reasons.add(SATURATED)
        if kink:
            reasons.add(KINK)
        rows.append(Row(name, analytic, numeric, rel,
                        not (hit and feeds or kink)))
    return GradCheck(rows, tol=tol,
                     reasons=[r for r in (SATURATED, KINK) if r in reasons])


def _at_kink(net: Network, z0: list[list[float]], z_plus: list[list[float]],
             z_minus: list[list[float]]) -> bool:
    """Return True if some relu or leaky_relu z moved with w and its
    values at w - h, w and w + h do not lie strictly on one side of 0."""
    for l, name in enumerate(net.activations):
        if name not in ("relu", "leaky_relu"):
            continue
        for z in zip(z_minus[l], z0[l], z_plus[l]):
            if min(z) <= 0.0 <= max(z) and min(z) != max(z):
                return True
    return False


def _clipped(fit: Loss, a: list[float], y: list[float]) -> set[int]:
    """Return the indices j of the outputs a_j that fit.f clips."""
    if fit.f is binary_cross_entropy:
        return {j for j, aj in enumerate(a) if not EPS <= aj <= 1 - EPS}
    if fit.f is categorical_cross_entropy:
        return {j for j, (aj, yj) in enumerate(zip(a, y))
                if yj and not EPS <= aj <= 1 - EPS}
    return set()


def _parameters(net: Network, grads: Gradients
                ) -> Iterator[tuple[str, tuple[int, int], list[float], int,
                                    float]]:
    """Yield (name, (l, j), row, k, dL/dw) for every weight, then every
    bias, with (l, j) the layer and neuron the parameter feeds."""
    for l, (W, dW) in enumerate(zip(net.W, grads.dW)):
        for j, (row, drow) in enumerate(zip(W, dW)):
            for k, g in enumerate(drow):
                yield f"W[{l}][{j}][{k}]", (l, j), row, k, g
    if net.b is not None:
        for l, (b, db) in enumerate(zip(net.b, grads.db)):
            for j, g in enumerate(db):
                yield f"b[{l}][{j}]", (l, j), b, j, g
