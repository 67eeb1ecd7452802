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

The sum in BP2 is dL/da^l_k, the gradient for neuron k's output; at
l = 0 it is dL/dx, the gradient for the input.

============================  ========================================
name                          what it is
============================  ========================================
Network                       sizes, activations, weights W, biases b
Network.forward               every z and a for one sample
Network.deltas                delta = dL/dz for every layer (BP1, BP2)
Network.backward              dW and db for one sample (BP3, BP4)
Network.activation_gradient   dL/da^l = (W^(l+1))^T delta^(l+1)
Network.activation_gradients  dL/da^l for every layer, x to output
Network.input_gradient        dL/dx, the gradient for the input
Network.predict               the outputs for a batch of samples
Forward                       the (z, a) lists that forward returns
Gradients                     the (dW, db) lists that backward returns
============================  ========================================

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

from . import _checks
from .activations import (
    Activation, activate, derivatives, get_activation,
    sigmoid_prime_from_output, softmax, softmax_backward,
)
from .elementary import gauss
from .errors import BackpropError
from .losses import (
    Loss, binary_cross_entropy_grad, categorical_cross_entropy_grad,
    get_loss,
)
from .matrix import add, dot, matvec, outer, total, transpose

__all__ = ["Network", "Forward", "Gradients", "output_delta", "INITS",
           "MAX_PARAMETERS"]


INITS = ("small_normal", "normal", "uniform", "xavier", "he")
"""Weight initialisation schemes; see :meth:`Network.__init__`."""

MAX_PARAMETERS = 10 ** 7
"""The most weights and biases a new Network may have. Each is a Python
float in a list, about 32 bytes, so the limit is about 320 MB; larger
sizes are refused with a BackpropError that says what they would cost,
rather than allocating until a MemoryError."""


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
        W = [[gauss(rng, 0.0, 1.0) * sd for _ in range(n_in)]
             for _ in range(n_out)]
    return W, [0.0] * n_out if bias else None


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
    ``bias=False`` the layers have no biases at all (seed 001). The
    default, xavier, assumes f'(0) = 1: right for tanh and for shallow
    sigmoid networks, but a deep sigmoid network's deltas shrink about 4x
    a layer with it; use ``"he"`` for ReLU.

    Layer l (1 to L) is at index l-1: ``net.W[l-1][j][k]`` is the math's
    w^l_jk and ``net.b[l-1]`` its biases; ``net.act[l-1]`` is its
    :class:`~backprop.activations.Activation` (the function f and its
    derivative) and ``net.activations[l-1]`` its name.

    >>> net = Network([2, 3, 1], seed=0)
    >>> net
    Network([2, 3, 1], activation=['sigmoid', 'sigmoid'], bias=True)
    >>> [len(W) for W in net.W], [len(W[0]) for W in net.W]
    ([3, 1], [2, 3])

    At most :data:`MAX_PARAMETERS` weights and biases (10 million,
    about 320 MB as Python floats), and no softmax layer of a single
    neuron (it would always output 1.0).

    Bad sizes, names, schemes or seeds (an int or None) raise
    BackpropError or TypeError.
    """

    def __init__(self, sizes: Sequence[int],
                 activation: str | Activation | Sequence[str | Activation]
                 = "sigmoid", *,
                 init: str = "xavier", seed: int | None = None,
                 bias: bool = True) -> None:
        sizes = _checks.sizes(sizes, MAX_PARAMETERS)
        if not isinstance(init, str) or init not in INITS:
            raise BackpropError(
                f"Network: unknown init {init!r:.60}; expected one of "
                f"{', '.join(INITS)}")
        rng = random.Random(_checks.seed("Network", seed))
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
                     activation: str | Activation
                     | Sequence[str | Activation] = "sigmoid",
                     ) -> Network:
        """Return a network with the given weights (copied, as floats).

        ``W[l-1]`` is layer l's matrix, one row per neuron; ``b`` is None
        for a network without biases.

        >>> net = Network.from_weights([[[1.0, 2.0]]], [[0.5]], "identity")
        >>> net.sizes, net.predict([[1.0, 1.0]])
        ([2, 1], [[3.5]])

        Ragged or mismatched matrices raise ShapeError.
        """
        self = cls.__new__(cls)
        self.W = _checks.weights(W)
        self.b = None if b is None else _checks.biases(b, self.W)
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
        self.act = [get_activation(n) for n in names]   # f and f' per layer
        self.activations = [act.name for act in self.act]
        _checks.softmax_layers(self.sizes, self.activations)

    @property
    def sizes(self) -> list[int]:
        """Neurons per layer, input layer first."""
        return [len(self.W[0][0])] + [len(W_l) for W_l in self.W]

    def __repr__(self) -> str:
        return (f"Network({self.sizes}, activation={self.activations}, "
                f"bias={self.b is not None})")

    def _repr_svg_(self) -> str:
        """Return the network's diagram, so that Jupyter shows a
        picture: :func:`backprop.plot.network`, loaded on first use."""
        from . import plot
        return plot.network(self)

    def forward(self, x: Sequence[float], *, check: bool = True
                ) -> Forward:
        """Return every z^l and a^l for one sample x (a list of floats).

        z^l = W^l a^(l-1) + b^l and a^l = f(z^l), layer by layer.

        >>> net = Network.from_weights([[[1.0, -1.0]]], [[0.0]])
        >>> net.forward([2.0, 2.0])
        Forward(z=[[0.0]], a=[[2.0, 2.0], [0.5]])

        An x of the wrong length raises ShapeError; one holding something
        other than finite numbers, TypeError or BackpropError naming it.
        ``check=False`` skips that check, for a caller such as
        :func:`~backprop.training.train` that checked its data once.
        """
        a = (_checks.vector("forward", "x", x, self.sizes[0], "inputs")
             if check else list(x))
        zs, activations = [], [a]
        for W, b, act in zip(self.W, self.b or repeat(None), self.act):
            z = matvec(W, a) if b is None else add(matvec(W, a), b)
            a = activate(act, z)                        # a = f(W a + b)
            zs.append(z)
            activations.append(a)
        return Forward(zs, activations)

    def deltas(self, fwd: Forward, y: Sequence[float],
               loss: str | Loss = "mse", *, check: bool = True
               ) -> list[list[float]]:
        """Return delta^l = dL/dz^l for every layer, from one forward pass.

        The output layer's delta comes from :func:`output_delta` (BP1);
        then, going back one layer at a time, each neuron k of layer l
        collects the deltas of the neurons j it feeds, weighted by the
        weights between them, times its own slope f'(z_k) (BP2):

            delta^l_k = (sum_j W^(l+1)_jk delta^(l+1)_j) * f'(z^l_k)

        >>> net = Network.from_weights([[[0.0, 0.0]]], [[0.0]])
        >>> net.deltas(net.forward([1.0, 2.0]), [1.0], "half_sse")
        [[-0.125]]

        A y of the wrong length raises ShapeError; one holding something
        other than finite numbers, TypeError or BackpropError
        (``check=False`` skips that check, as in :meth:`forward`).
        """
        if check:
            y = _checks.vector("backward pass", "y", y, len(fwd.a[-1]),
                               "outputs")
        delta = output_delta(self.act[-1], get_loss(loss), fwd.z[-1],
                             fwd.a[-1], y)                       # BP1
        deltas = [delta]
        # Going back: W[l] (code index) is W^(l+1) in the math, and
        # z[l-1], a[l] are the z and a of the layer that feeds it.
        for l in range(len(self.W) - 1, 0, -1):
            act, z, a = self.act[l - 1], fwd.z[l - 1], fwd.a[l]
            g = self.activation_gradient(l, delta)     # dL/da^l
            if act.prime is None:        # softmax mixes its layer
                delta = softmax_backward(a, g)
            else:
                f_prime = derivatives(act, z, a)
                delta = [g[k] * f_prime[k] for k in range(len(z))]  # BP2
            deltas.insert(0, delta)
        return deltas

    def activation_gradient(self, l: int, delta: list[float]
                            ) -> list[float]:
        """Return dL/da^l, the gradient with respect to layer l's
        outputs, from the next layer's delta^(l+1) (l = 0: the input x).

        a^l_k reaches the loss only through the z^(l+1)_j it feeds, with
        dz^(l+1)_j / da^l_k = W^(l+1)_jk, so by the chain rule

            dL/da^l_k = sum_j W^(l+1)_jk delta^(l+1)_j,

        the sum down column k of W^(l+1) (row k of its transpose). It is
        the first half of BP2, which :meth:`deltas` calls; ``self.W[l]``
        is W^(l+1), so l is both the code's and the math's index here.

        >>> net = Network.from_weights([[[1.0, 2.0], [3.0, 4.0]]])
        >>> net.activation_gradient(0, [1.0, 0.5])   # 1+1.5, 2+2
        [2.5, 4.0]

        ``delta`` is trusted to have one entry per neuron of layer l+1.
        """
        W_T = transpose(self.W[l])   # row k: the weights out of neuron k
        return [dot(W_T[k], delta) for k in range(len(W_T))]

    def activation_gradients(self, fwd: Forward, y: Sequence[float],
                             loss: str | Loss = "mse", *,
                             check: bool = True) -> list[list[float]]:
        """Return dL/da^l for every layer, indexed like ``fwd.a``:
        ``[dL/dx, dL/da^1, ..., dL/da^L]``.

        dL/da^L is the loss's own gradient; every other one is
        :meth:`activation_gradient` of the next layer's delta.

        >>> net = Network.from_weights([[[2.0]], [[3.0]]], None,
        ...                            "identity")
        >>> net.activation_gradients(net.forward([1.0]), [0.0], "half_sse")
        [[36.0], [18.0], [6.0]]

        Raises like :meth:`deltas`.
        """
        if check:
            y = _checks.vector("backward pass", "y", y, len(fwd.a[-1]),
                               "outputs")
        deltas = self.deltas(fwd, y, loss, check=False)
        out = get_loss(loss).grad(fwd.a[-1], y)             # dL/da^L
        return [self.activation_gradient(l, delta)
                for l, delta in enumerate(deltas)] + [out]

    def input_gradient(self, fwd: Forward, y: Sequence[float],
                       loss: str | Loss = "mse", *, check: bool = True
                       ) -> list[float]:
        """Return dL/dx = (W^1)^T delta^1, the gradient of the loss
        with respect to the input x = a^0 of one sample.

        How the loss would change if the input moved (a saliency map,
        an adversarial step): :meth:`activation_gradient` for l = 0.

        >>> net = Network.from_weights([[[1.0, -2.0]]], [[0.0]],
        ...                            "identity")
        >>> net.input_gradient(net.forward([1.0, 1.0]), [0.0], "half_sse")
        [-1.0, 2.0]

        Raises like :meth:`deltas`.
        """
        delta1 = self.deltas(fwd, y, loss, check=check)[0]
        return self.activation_gradient(0, delta1)

    def backward(self, fwd: Forward, y: Sequence[float],
                 loss: str | Loss = "mse", *, check: bool = True
                 ) -> Gradients:
        """Return dL/dW and dL/db for one sample, from its forward pass.

        The deltas come from :meth:`deltas` (BP1, BP2); each layer's
        gradients follow from its delta: dL/db^l_j = delta^l_j (BP3) and
        dL/dW^l_jk = delta^l_j a^(l-1)_k (BP4), the outer product of
        delta^l and a^(l-1).

        >>> net = Network.from_weights([[[0.0, 0.0]]], [[0.0]])
        >>> g = net.backward(net.forward([1.0, 2.0]), [1.0], "half_sse")
        >>> g.dW, g.db      # delta = (0.5 - 1) * 0.25 = -0.125
        ([[[-0.125, -0.25]]], [[-0.125]])

        A y of the wrong length, or one holding something other than
        finite numbers, raises ShapeError, TypeError or BackpropError
        (``check=False`` skips that check, as in :meth:`forward`).
        """
        deltas = self.deltas(fwd, y, loss, check=check)
        dW = [outer(delta, a_prev)                                # BP4
              for delta, a_prev in zip(deltas, fwd.a)]
        db = deltas if self.b is not None else None               # BP3
        return Gradients(dW, db)

    def predict(self, X: Sequence[Sequence[float]]) -> list[list[float]]:
        """Return the output a^L for every sample in the batch X.

        >>> net = Network.from_weights([[[2.0]]], activation="identity")
        >>> net.predict([[1.0], [3.0]])
        [[2.0], [6.0]]

        A sample of the wrong length, or one holding something other than
        finite numbers, raises ShapeError, TypeError or BackpropError
        naming it.
        """
        X = _checks.rows("predict", "X", X, self.sizes[0], "inputs")
        return [self.forward(x, check=False).a[-1] for x in X]


def output_delta(act: Activation, loss: Loss, z: list[float],
                 a: list[float], y: Sequence[float]) -> list[float]:
    """Return BP1, the output layer's delta_j = dL/da_j * f'(z_j).

    Two pairs are made for each other, and there the product simplifies
    (the pair is told by its functions, not by its names):

    * sigmoid with binary cross-entropy: dL/da_j = (a_j - y_j) /
      (n a_j (1 - a_j)) and f'(z_j) = a_j (1 - a_j), so
      delta_j = (a_j - y_j) / n, which cannot divide by a saturated
      a_j (1 - a_j) = 0;
    * softmax with categorical cross-entropy: the softmax Jacobian (the
      matrix of da_i/dz_k) times -y_i / a_i gives delta_j =
      a_j sum_i y_i - y_j (= a_j - y_j for a one-hot y).

    Any other softmax output uses its full Jacobian
    (:func:`~backprop.activations.softmax_backward`).

    >>> from backprop.activations import get_activation
    >>> from backprop.losses import get_loss
    >>> output_delta(get_activation("sigmoid"), get_loss("half_sse"),
    ...              [0.0], [0.5], [1.0])    # (0.5 - 1) * 0.25
    [-0.125]
    >>> output_delta(get_activation("sigmoid"),
    ...              get_loss("binary_cross_entropy"), [0.0], [0.5], [1.0])
    [-0.5]
    """
    if (act.prime is sigmoid_prime_from_output
            and loss.grad is binary_cross_entropy_grad):
        return [(a_j - y_j) / len(a) for a_j, y_j in zip(a, y)]
    if act.f is softmax and loss.grad is categorical_cross_entropy_grad:
        s = total(y)                      # 1 for a one-hot y
        return [a_j * s - y_j for a_j, y_j in zip(a, y)]
    g = loss.grad(a, y)                   # dL/da_j
    if act.prime is None:                 # softmax
        return softmax_backward(a, g)
    f_prime = derivatives(act, z, a)
    return [g_j * f_prime[j] for j, g_j in enumerate(g)]
