"""A feed-forward network: its weights, forward pass and backward pass.

Layer l (1 <= l <= L) has weights W^l, biases b^l and an activation f.
``W[j][k]`` is the weight from neuron k of the previous layer to neuron j
of this one (Nielsen's w^l_jk). For one sample x = a^0:

    z^l = W^l a^(l-1) + b^l,      a^l = f(z^l)                  (forward)

and, for a loss L(a^L, y), the four equations of backpropagation:

    BP1  delta^L_j = dL/da^L_j * f'(z^L_j)
    BP2  delta^l_k = (sum_j W^(l+1)_jk delta^(l+1)_j) * f'(z^l_k)
    BP3  dL/db^l_j = delta^l_j
    BP4  dL/dW^l_jk = delta^l_j * a^(l-1)_k

=================  ===================================================
name               what it is
=================  ===================================================
Network            sizes, activations, weights W and biases b
Network.forward    every z and a for one sample
Network.deltas     delta = dL/dz for every layer, output layer first
Network.backward   dW and db for one sample
Network.predict    the outputs for a batch of samples
Forward            the (z, a) lists that forward returns
Gradients          the (dW, db) lists that backward returns
=================  ===================================================

>>> net = Network.from_weights([[[0.5, -0.5]]], [[0.0]])
>>> fwd = net.forward([1.0, 1.0])
>>> fwd.z, fwd.a
([[0.0]], [[1.0, 1.0], [0.5]])
>>> net.backward(fwd, [1.0], loss="half_sse").dW
[[[-0.125, -0.125]]]
"""

from __future__ import annotations

import math
import random
from collections import namedtuple
from collections.abc import Sequence
from itertools import repeat
from numbers import Real

from .activations import get_activation
from .matrix import _affine, _rows_dot
from .errors import BackpropError, ShapeError
from .losses import get_loss

__all__ = ["Network", "Forward", "Gradients", "INITS"]


INITS = ("small_normal", "normal", "uniform", "xavier", "he")
"""Weight initialisation schemes; see :meth:`Network.__init__`."""


class Forward(namedtuple("Forward", "z a")):
    """Everything the forward pass computed: ``z[l-1]`` is z^l and ``a[l]``
    is a^l, so ``a[0]`` is the input and ``a[-1]`` the output."""

    __slots__ = ()


class Gradients(namedtuple("Gradients", "dW db")):
    """dL/dW and dL/db, shaped like the network's W and b (db is None for
    a network without biases)."""

    __slots__ = ()


def _init_layer(scheme: str, n_in: int, n_out: int, rng: random.Random,
                bias: bool):
    """Return (W, b) for one layer, drawing W row by row, then b (b is
    None without biases)."""
    if scheme == "uniform":                   # seeds 001/002: U[0, 1)
        W = [[rng.random() for _ in range(n_in)] for _ in range(n_out)]
        return W, [rng.random() for _ in range(n_out)] if bias else None
    if scheme == "xavier":                    # Glorot: U(-r, r)
        r = math.sqrt(6.0 / (n_in + n_out))
        W = [[rng.uniform(-r, r) for _ in range(n_in)] for _ in range(n_out)]
    else:                                     # Gaussian schemes
        sd = {"small_normal": 0.01, "normal": 1.0,
              "he": math.sqrt(2.0 / n_in)}[scheme]
        W = [[rng.gauss(0.0, 1.0) * sd for _ in range(n_in)]
             for _ in range(n_out)]
    return W, [0.0] * n_out if bias else None


def _check_number(where: str, v) -> float:
    """Return v as a finite float, or raise naming ``where``."""
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


class Network:
    """A fully connected feed-forward network.

    ``sizes`` lists the neurons per layer, input first: ``[2, 4, 1]`` is
    2 inputs, 4 hidden neurons, 1 output. ``activation`` is one name for
    every layer or a list with one name per layer (see
    :func:`backprop.activations.get_activation`).

    ``init`` picks the starting weights, drawn from ``random.Random(seed)``:
    ``"small_normal"`` N(0, 1) x 0.01 (seed 000), ``"normal"`` N(0, 1),
    ``"uniform"`` U[0, 1) for weights and biases (seeds 001 and 002),
    ``"xavier"`` U(-r, r) with r = sqrt(6 / (n_in + n_out)) and ``"he"``
    N(0, 2 / n_in). Biases start at 0 except for ``"uniform"``. With
    ``bias=False`` the layers have no biases at all (seed 001).

    >>> net = Network([2, 3, 1], seed=0)
    >>> net
    Network([2, 3, 1], activation=['sigmoid', 'sigmoid'], bias=True)
    >>> [len(W) for W in net.W], [len(W[0]) for W in net.W]
    ([3, 1], [2, 3])

    Bad sizes, names or schemes raise BackpropError or TypeError.
    """

    def __init__(self, sizes: Sequence[int],
                 activation: str | Sequence[str] = "sigmoid", *,
                 init: str = "xavier", seed: int | None = None,
                 bias: bool = True) -> None:
        sizes = _check_sizes(sizes)
        if init not in INITS:
            raise BackpropError(
                f"Network: unknown init {init!r}; expected one of "
                f"{', '.join(INITS)}")
        rng = random.Random(seed)
        self.W, b = [], []
        for n_in, n_out in zip(sizes, sizes[1:]):
            W_l, b_l = _init_layer(init, n_in, n_out, rng, bias)
            self.W.append(W_l)
            b.append(b_l)
        self.b = b if bias else None
        self._set_activations(activation)

    @classmethod
    def from_weights(cls, W: Sequence[list[list[float]]],
                     b: Sequence[list[float]] | None = None,
                     activation: str | Sequence[str] = "sigmoid",
                     ) -> "Network":
        """Return a network with the given weights (copied, as floats).

        ``W[l]`` is layer l+1's matrix, one row per neuron; ``b`` is None
        for a network without biases.

        >>> net = Network.from_weights([[[1.0, 2.0]]], [[0.5]], "identity")
        >>> net.sizes, net.predict([[1.0, 1.0]])
        ([2, 1], [[3.5]])

        Ragged or mismatched matrices raise ShapeError.
        """
        self = cls.__new__(cls)
        if not isinstance(W, (list, tuple)) or not W:
            raise ShapeError(
                "Network.from_weights requires W as a non-empty list of "
                f"matrices, got {W!r:.60}")
        self.W = [_check_matrix(f"W[{l}]", W_l) for l, W_l in enumerate(W)]
        for l in range(1, len(self.W)):
            if len(self.W[l][0]) != len(self.W[l - 1]):
                raise ShapeError(
                    f"Network.from_weights: W[{l}] has {len(self.W[l][0])} "
                    f"columns but W[{l - 1}] has {len(self.W[l - 1])} rows;"
                    " each layer takes the previous layer's outputs")
        self.b = None if b is None else _check_biases(b, self.W)
        self._set_activations(activation)
        return self

    def _set_activations(self, activation) -> None:
        L = len(self.W)
        if isinstance(activation, str):
            names = [activation] * L
        elif isinstance(activation, (list, tuple)):
            names = list(activation)
        else:
            raise TypeError(
                "Network: activation must be a name such as 'sigmoid' or a "
                f"list of names, one per layer, got {activation!r:.60}")
        if len(names) != L:
            raise BackpropError(
                f"Network: activation needs one name per layer ({L}), got "
                f"{len(names)}: {names!r}")
        self._act = [get_activation(n) for n in names]
        self.activations = [act.name for act in self._act]

    @property
    def sizes(self) -> list[int]:
        """Neurons per layer, input layer first."""
        return [len(self.W[0][0])] + [len(W_l) for W_l in self.W]

    def __repr__(self) -> str:
        return (f"Network({self.sizes}, activation={self.activations}, "
                f"bias={self.b is not None})")

    def forward(self, x: Sequence[float]) -> Forward:
        """Return every z^l and a^l for one sample x (a list of floats).

        z^l = W^l a^(l-1) + b^l and a^l = f(z^l), layer by layer.

        >>> net = Network.from_weights([[[1.0, -1.0]]], [[0.0]])
        >>> net.forward([2.0, 2.0])
        Forward(z=[[0.0]], a=[[2.0, 2.0], [0.5]])

        An x of the wrong length raises ShapeError; one holding something
        other than numbers, TypeError.
        """
        if len(x) != len(self.W[0][0]):
            raise ShapeError(
                f"forward: x has {len(x)} values but the network has "
                f"{len(self.W[0][0])} inputs")
        a = list(x)
        zs, activations = [], [a]
        try:
            for W, b, act in zip(self.W, self.b or repeat(None), self._act):
                z = _rows_dot(W, a) if b is None else _affine(W, a, b)
                a = act.forward(z)                          # a = f(W a + b)
                zs.append(z)
                activations.append(a)
        except TypeError:
            for k, v in enumerate(x):       # say which x[k] is no number
                _check_number(f"forward: x[{k}]", v)
            raise
        return Forward(zs, activations)

    def deltas(self, fwd: Forward, y: Sequence[float],
               loss: str = "mse") -> list[list[float]]:
        """Return delta^l = dL/dz^l for every layer, from one forward pass.

        Output layer first (BP1), then back through each hidden layer
        (BP2). For a sigmoid output with binary cross-entropy, and softmax
        with categorical cross-entropy, BP1 simplifies exactly to
        delta = a - y (divided by n for the binary case), and that form is
        used: it cannot divide by a saturated a(1 - a).

        >>> net = Network.from_weights([[[0.0, 0.0]]], [[0.0]])
        >>> net.deltas(net.forward([1.0, 2.0]), [1.0], "half_sse")
        [[-0.125]]

        A y of the wrong length raises ShapeError.
        """
        a_out = fwd.a[-1]
        if len(y) != len(a_out):
            raise ShapeError(
                f"backward: y has {len(y)} values but the network has "
                f"{len(a_out)} outputs")
        L = len(self.W)
        delta = _output_delta(self._act[-1], get_loss(loss), fwd.z[-1],
                              a_out, y)                          # BP1
        deltas = [delta] * L
        for l in range(L - 1, 0, -1):
            # BP2: sum_j W[j][k] delta_j runs down column k of W^(l+1)
            g = _rows_dot(zip(*self.W[l]), delta)
            delta = self._act[l - 1].backward(fwd.z[l - 1], fwd.a[l], g)
            deltas[l - 1] = delta
        return deltas

    def backward(self, fwd: Forward, y: Sequence[float],
                 loss: str = "mse") -> Gradients:
        """Return dL/dW and dL/db for one sample, from its forward pass.

        The deltas come from :meth:`deltas` (BP1, BP2); each layer's
        gradients follow from its delta: dL/db^l = delta^l (BP3) and
        dL/dW^l_jk = delta^l_j a^(l-1)_k (BP4).

        >>> net = Network.from_weights([[[0.0, 0.0]]], [[0.0]])
        >>> g = net.backward(net.forward([1.0, 2.0]), [1.0], "half_sse")
        >>> g.dW, g.db      # delta = (0.5 - 1) * 0.25 = -0.125
        ([[[-0.125, -0.25]]], [[-0.125]])

        A y of the wrong length raises ShapeError.
        """
        deltas = self.deltas(fwd, y, loss)
        dW = [[[dj * ak for ak in a_prev] for dj in delta]        # BP4
              for delta, a_prev in zip(deltas, fwd.a)]
        return Gradients(dW, deltas if self.b is not None else None)  # BP3

    def predict(self, X: Sequence[Sequence[float]]) -> list[list[float]]:
        """Return the output a^L for every sample in the batch X.

        >>> net = Network.from_weights([[[2.0]]], activation="identity")
        >>> net.predict([[1.0], [3.0]])
        [[2.0], [6.0]]

        A sample of the wrong length, or one holding something other than
        finite numbers, raises ShapeError, TypeError or BackpropError
        naming it.
        """
        X = check_rows("predict", "X", X, len(self.W[0][0]), "inputs")
        return [self.forward(x).a[-1] for x in X]


def _output_delta(act, loss, z, a, y):
    """BP1: delta^L = dL/da^L * f'(z^L), simplified where it cancels."""
    if act.name == "sigmoid" and loss.name == "binary_cross_entropy":
        n = len(a)
        return [(aj - yj) / n for aj, yj in zip(a, y)]
    if act.name == "softmax" and loss.name == "categorical_cross_entropy":
        s = sum(y)  # 1 for a one-hot y
        return [aj * s - yj for aj, yj in zip(a, y)]
    return act.backward(z, a, loss.grad(a, y))


def _check_sizes(sizes) -> list[int]:
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
        raise BackpropError(
            "Network requires sizes as a list of at least two layer sizes "
            f"(inputs and outputs), e.g. [2, 4, 1], got {sizes!r}")
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(
                f"Network: sizes[{i}] must be an int, got {n!r}")
        if n < 1:
            raise BackpropError(
                f"Network: sizes[{i}] must be at least 1, got {n}")
    return list(sizes)


def _check_matrix(where: str, M) -> list[list[float]]:
    if (not isinstance(M, (list, tuple)) or not M
            or not isinstance(M[0], (list, tuple)) or not M[0]):
        raise ShapeError(
            f"Network.from_weights: {where} must be a non-empty matrix "
            f"(a list of rows), got {M!r:.60}")
    cols = len(M[0])
    out = []
    for j, row in enumerate(M):
        if not isinstance(row, (list, tuple)) or len(row) != cols:
            raise ShapeError(
                f"Network.from_weights: {where} is ragged: row 0 has "
                f"{cols} entries, row {j} is {row!r:.60}")
        out.append([_check_number(
            f"Network.from_weights: {where}[{j}][{k}]", v)
            for k, v in enumerate(row)])
    return out


def _check_biases(b, W) -> list[list[float]]:
    if not isinstance(b, (list, tuple)) or len(b) != len(W):
        raise ShapeError(
            f"Network.from_weights: b needs one vector per layer "
            f"({len(W)}), got {b!r:.60}")
    out = []
    for l, (b_l, W_l) in enumerate(zip(b, W)):
        if not isinstance(b_l, (list, tuple)) or len(b_l) != len(W_l):
            raise ShapeError(
                f"Network.from_weights: b[{l}] needs {len(W_l)} values "
                f"(one per row of W[{l}]), got {b_l!r:.60}")
        out.append([_check_number(f"Network.from_weights: b[{l}][{j}]",
                                  v) for j, v in enumerate(b_l)])
    return out


def check_rows(fn: str, name: str, rows, n: int, what: str):
    """Return rows as lists of n floats each, or raise naming the culprit.

    ``fn`` and ``name`` say who is asking about what (``train``, ``X``);
    ``what`` says what n counts (``inputs``). A bare number stands for a
    1-vector when n == 1.
    """
    if not isinstance(rows, (list, tuple)) or not rows:
        raise BackpropError(
            f"{fn}: {name} must be a non-empty list of samples, got "
            f"{rows!r:.60}")
    out = []
    for i, row in enumerate(rows):
        if isinstance(row, Real) and not isinstance(row, bool) and n == 1:
            row = [row]
        if not isinstance(row, (list, tuple)) or len(row) != n:
            raise ShapeError(
                f"{fn}: {name}[{i}] must be a list of {n} numbers (the "
                f"network has {n} {what}), got {row!r:.60}")
        out.append([_check_number(f"{fn}: {name}[{i}][{k}]", v)
                    for k, v in enumerate(row)])
    return out
